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

/**
 * A server run as a child process that answers the Prometheus query API on loopback: Prometheus or
 * VictoriaMetrics.
 */
public class QueryServerProcess implements QueryApi, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ChildProcess process;
  private final URI uri;
  private final Optional<String> authorization;

  /**
   * @param authorization the {@code Authorization} header the server wants, or empty
   */
  protected QueryServerProcess(ChildProcess process, URI uri, Optional<String> authorization) {
    this.process = process;
    this.uri = uri;
    this.authorization = authorization;
  }

  public URI uri() {
    return uri;
  }

  public boolean alive() {
    return process.alive();
  }

  /** What the server wrote so far, for the message of a failing assertion. */
  public String log() {
    return process.log();
  }

  /**
   * Whether {@code path} (a health or readiness endpoint) answers 200 now; false while the server
   * starts.
   */
  protected boolean answersOk(String path) {
    try {
      return http.send(
                  HttpRequest.newBuilder(uri.resolve(path)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public JsonNode api(String path, Map<String, String> params)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder(uri.toString()).append(path);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      query
          .append(sep)
          .append(p.getKey())
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(query.toString())).timeout(Duration.ofSeconds(10));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
