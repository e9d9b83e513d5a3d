package dev.wagoexporter.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The query API of a Prometheus or VictoriaMetrics on loopback, with basic auth where the server wants it. */
public final class HttpQueryApi implements QueryApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;
  private final Optional<String> authorization;

  /** @param authorization the {@code Authorization} header value, or empty */
  public HttpQueryApi(URI base, Optional<String> authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** Whether {@code path} (a health or readiness endpoint) answers 200 now; false while the server starts. */
  public boolean answersOk(String path) {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public JsonNode api(String path, Map<String, String> params) throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(base.toString()).append(path);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      uri.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(10));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
