package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.config.WebConfigLoader;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's HEALTHCHECK script (deploy/docker/healthcheck.sh) against a real exporter HTTP server
 * on loopback, plain and with the test web config's TLS. {@code WAGO_HOME} is a stand-in for the
 * image's /opt/wago-exporter: runtime/bin/java is this JDK's java, lib/wago-exporter.jar the
 * packaged jar.
 */
class HealthCheckScriptIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("deploy/docker/healthcheck.sh");

  @TempDir Path home;

  private ExternalTool bash;
  private ExporterHttpServer server;

  @BeforeEach
  void imageHome() throws Exception {
    bash = ExternalTool.require("bash", "bash");
    Path jar = ROOT.resolve("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    Files.createDirectories(home.resolve("runtime/bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.createSymbolicLink(
        home.resolve("runtime/bin/java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    Files.createSymbolicLink(home.resolve("lib/wago-exporter.jar"), jar);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ExternalTool.Result healthcheck(int port) {
    return bash.run(ROOT, List.of("WAGO_LISTEN=:" + port, "WAGO_HOME=" + home), SCRIPT.toString());
  }

  private int start(WebConfig web) throws Exception {
    server =
        ExporterHttpServer.start(
            "127.0.0.1",
            0,
            () -> io.prometheus.metrics.model.snapshots.MetricSnapshots.of(),
            List.of(),
            web);
    return server.port();
  }

  @Test
  void aTlsExporterIsHealthyAndAStoppedOneIsNot() throws Exception {
    WebConfig tls =
        WebConfigLoader.load(
            Path.of(HealthCheckScriptIT.class.getResource("/webconfig/good.yml").toURI()));
    assertThat(tls.tlsEnabled()).isTrue();
    int port = start(tls);

    ExternalTool.Result healthy = healthcheck(port);
    assertThat(healthy.exitCode()).as(healthy.output()).isZero();

    server.close();
    server = null;
    ExternalTool.Result stopped = healthcheck(port);
    assertThat(stopped.exitCode()).as(stopped.output()).isNotZero();
  }

  @Test
  void aPlainExporterIsHealthyWithoutAJvm() throws Exception {
    int port = start(WebConfig.NONE);
    // no java in WAGO_HOME: plain HTTP must not need it
    Files.delete(home.resolve("runtime/bin/java"));

    ExternalTool.Result healthy = healthcheck(port);
    assertThat(healthy.exitCode()).as(healthy.output()).isZero();
    assertThat(healthcheck(FreePort.onLoopback()).exitCode()).isNotZero();
  }
}
