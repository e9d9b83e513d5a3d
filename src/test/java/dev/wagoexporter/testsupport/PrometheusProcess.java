package dev.wagoexporter.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a free loopback port. Skips the test
 * when the binary is missing, except on CI ({@code CI=true}), where .ci/run installs it and a
 * missing one is a failure.
 */
public final class PrometheusProcess extends QueryServerProcess {
  private PrometheusProcess(ChildProcess process, URI uri) {
    super(process, uri, Optional.empty());
  }

  /**
   * Starts Prometheus on {@code port} without waiting for it to be ready (see {@link #ready}).
   *
   * @param flags command-line flags beyond config file, data directory and listen address
   */
  public static PrometheusProcess start(
      ExternalTool binary, Path config, Path dataDir, int port, Path log, List<String> flags)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.path().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dataDir,
                "--web.listen-address=127.0.0.1:" + port));
    command.addAll(flags);
    return new PrometheusProcess(
        ChildProcess.start(command, log), URI.create("http://127.0.0.1:" + port));
  }

  /**
   * Starts Prometheus on the history in {@code dataDir} (see {@link #backfill}) and waits until it
   * is ready. It has no scrape jobs, so the data stays as written while a test reads it.
   */
  public static PrometheusProcess startOnHistory(Path dataDir, Path workDir, boolean adminApi)
      throws Exception {
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    int port = FreePort.onLoopback();
    // the fixed test dates must never fall out of retention, whenever the test runs
    List<String> flags = new ArrayList<>(List.of("--storage.tsdb.retention.time=100y"));
    if (adminApi) {
      flags.add("--web.enable-admin-api");
    }
    PrometheusProcess prometheus =
        start(
            ExternalTool.require("prometheus", "prometheus"),
            config,
            dataDir,
            port,
            workDir.resolve("prometheus-" + port + ".log"),
            flags);
    prometheus.awaitReady(Duration.ofSeconds(60));
    return prometheus;
  }

  /** Writes OpenMetrics texts as TSDB blocks into {@code dataDir}, with Debian's promtool. */
  public static void backfill(List<String> openMetrics, Path dataDir, Path workDir)
      throws IOException {
    ExternalTool promtool = ExternalTool.require("promtool", "prometheus");
    Files.createDirectories(dataDir);
    for (int i = 0; i < openMetrics.size(); i++) {
      Path input = workDir.resolve("backfill-" + i + ".om.txt");
      Files.writeString(input, openMetrics.get(i));
      promtool.succeed(
          workDir,
          "tsdb",
          "create-blocks-from",
          "openmetrics",
          "-q",
          input.toString(),
          dataDir.toString());
    }
  }

  /** Whether Prometheus answers {@code /-/ready} now. */
  public boolean ready() {
    return answersOk("/-/ready");
  }

  /**
   * Waits until Prometheus is ready; fails the test with its log when it exits or takes longer than
   * {@code limit}.
   */
  public void awaitReady(Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!alive()) {
        fail("prometheus exited: " + log());
      }
      if (ready()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("prometheus not ready after " + limit.toSeconds() + " s: " + log());
  }
}
