package dev.wagoexporter.stack;

import dev.wagoexporter.testsupport.ChildProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.QueryServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A real VictoriaMetrics single node (Debian's binary) on loopback, with basic auth on as in
 * deploy/central/compose.yaml: the central store the Pis remote-write to.
 */
final class VictoriaMetricsServer extends QueryServerProcess {
  private VictoriaMetricsServer(ChildProcess process, int port, String username, String password) {
    super(
        process,
        URI.create("http://127.0.0.1:" + port),
        Optional.of(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))));
  }

  static VictoriaMetricsServer start(
      ExternalTool binary, Path workDir, String username, String password) throws IOException {
    int port = FreePort.onLoopback();
    ChildProcess process =
        ChildProcess.start(
            List.of(
                binary.path().toString(),
                "-storageDataPath=" + workDir.resolve("vm-data"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-httpAuth.username=" + username,
                "-httpAuth.password=" + password,
                // Test settings: samples are queryable a second after they arrive (default 30 s),
                // and no cached answer
                // from before the first remote write hides the data.
                "-search.latencyOffset=1s",
                "-search.disableCache"),
            workDir.resolve("victoria-metrics.log"));
    return new VictoriaMetricsServer(process, port, username, password);
  }

  /** Where Prometheus' remote_write sends samples. */
  String writeUrl() {
    return uri() + "/api/v1/write";
  }

  boolean ready() {
    return answersOk("/health");
  }

  /** The status of a write without credentials: what a stranger on the network gets. */
  int unauthenticatedWriteStatus() throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(writeUrl()))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
