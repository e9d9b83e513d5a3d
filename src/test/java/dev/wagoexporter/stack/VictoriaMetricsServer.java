package dev.wagoexporter.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real VictoriaMetrics single node (Debian's binary) on loopback, with basic auth on as in
 * deploy/central/compose.yaml: the central store the Pis remote-write to.
 */
final class VictoriaMetricsServer implements QueryApi, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path log;
  private final String baseUrl;
  private final String authorization;

  private VictoriaMetricsServer(Process process, Path log, int port, String username, String password) {
    this.process = process;
    this.log = log;
    this.baseUrl = "http://127.0.0.1:" + port;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static VictoriaMetricsServer start(ExternalTool binary, Path workDir, String username, String password)
      throws IOException {
    int port = FreePort.onLoopback();
    Path log = workDir.resolve("victoria-metrics.log");
    Process process = new ProcessBuilder(binary.path().toString(),
        "-storageDataPath=" + workDir.resolve("vm-data"),
        "-httpListenAddr=127.0.0.1:" + port,
        "-httpAuth.username=" + username,
        "-httpAuth.password=" + password,
        // Test settings: samples are queryable a second after they arrive (default 30 s), and no cached answer
        // from before the first remote write hides the data.
        "-search.latencyOffset=1s",
        "-search.disableCache")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new VictoriaMetricsServer(process, log, port, username, password);
  }

  /** Where Prometheus' remote_write sends samples. */
  String writeUrl() {
    return baseUrl + "/api/v1/write";
  }

  boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The status of a write without credentials: what a stranger on the network gets. */
  int unauthenticatedWriteStatus() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(writeUrl())).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public JsonNode api(String path, Map<String, String> params) throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(baseUrl).append(path);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      uri.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri.toString()))
        .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
