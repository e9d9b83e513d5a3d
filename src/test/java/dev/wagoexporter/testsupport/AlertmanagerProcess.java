package dev.wagoexporter.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) on a free loopback port, without
 * clustering. Skips the test when the binary is missing, except on CI ({@code CI=true}).
 */
public final class AlertmanagerProcess extends QueryServerProcess {
  private AlertmanagerProcess(ChildProcess process, URI uri) {
    super(process, uri, Optional.empty());
  }

  /** Starts Alertmanager on {@code config} and waits until it is ready. */
  public static AlertmanagerProcess start(Path config, Path dataDir, Path log) throws Exception {
    return startVia(List.of(), config, dataDir, log);
  }

  /**
   * Starts Alertmanager on {@code config} through {@code launcher}, a command that ends by
   * executing its arguments (deploy/alertmanager/entrypoint.sh, which renders {@code config}
   * first), and waits until it is ready.
   */
  public static AlertmanagerProcess startVia(
      List<String> launcher, Path config, Path dataDir, Path log) throws Exception {
    ExternalTool binary =
        ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
    int port = FreePort.onLoopback();
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            binary.path().toString(),
            "--config.file=" + config,
            "--storage.path=" + dataDir,
            "--web.listen-address=127.0.0.1:" + port,
            "--cluster.listen-address="));
    AlertmanagerProcess alertmanager =
        new AlertmanagerProcess(
            ChildProcess.start(command, log), URI.create("http://127.0.0.1:" + port));
    alertmanager.awaitReady(Timeouts.scaled(Duration.ofSeconds(60)));
    return alertmanager;
  }

  /** host:port, for Prometheus' alerting section. */
  public String target() {
    return uri().getHost() + ":" + uri().getPort();
  }

  private void awaitReady(Duration limit) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!alive()) {
        fail("alertmanager exited: " + log());
      }
      if (answersOk("/-/ready")) {
        return;
      }
      Thread.sleep(200);
    }
    fail("alertmanager not ready after " + limit.toSeconds() + " s: " + log());
  }
}
