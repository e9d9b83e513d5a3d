package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.ChildProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PtyLine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's runtime, built by the Dockerfile's own script (deploy/docker/build-runtime.sh) with a
 * local JDK 21+, runs the exporter: a module missing from the jlink list would fail here, at run
 * time, as it would in the container. The image's HEALTHCHECK script is run against it too.
 */
class StackRuntimeIT {
  private static final Path BUILD_RUNTIME =
      RepoPaths.ROOT.resolve("deploy/docker/build-runtime.sh");
  private static final Path HEALTHCHECK = RepoPaths.ROOT.resolve("deploy/docker/healthcheck.sh");

  @TempDir Path workDir;

  @Test
  void exporterServesMetricsOnTheJlinkedRuntime() throws Exception {
    Path jdk = jdkWithJlink();
    Path jar = shadedJar();
    Path out = workDir.resolve("wago-exporter");
    ExternalTool sh = ExternalTool.require("sh", "dash");
    ExternalTool.Result build =
        sh.run(
            RepoPaths.ROOT,
            List.of("JAVA_HOME=" + jdk),
            BUILD_RUNTIME.toString(),
            jar.toString(),
            out.toString());
    assertThat(build.exitCode()).as(build.output()).isZero();

    Path launcher = out.resolve("bin/wago-exporter");
    int port = FreePort.onLoopback();
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(DemoExporter.demoArgs(port));
    try (DemoExporter exporter =
        DemoExporter.start(command, workDir.resolve("exporter.log"), port)) {
      HttpClient http = HttpClient.newHttpClient();
      await("metrics from the jlinked runtime")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(exporter.alive())
                    .as("exporter alive; log:%n%s", exporter.log())
                    .isTrue();
                HttpResponse<String> metrics =
                    http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body())
                    .contains("wago_up{", "wago_active_energy_import_joules_total{");
              });
      assertThat(exporter.log())
          .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "Exception in thread");

      ExternalTool bash = ExternalTool.require("bash", "bash");
      assertThat(
              bash.run(
                      RepoPaths.ROOT,
                      List.of("WAGO_LISTEN=127.0.0.1:" + port),
                      HEALTHCHECK.toString())
                  .exitCode())
          .as("HEALTHCHECK on a serving exporter")
          .isZero();
      assertThat(
              bash.run(
                      RepoPaths.ROOT,
                      List.of("WAGO_LISTEN=:" + FreePort.onLoopback()),
                      HEALTHCHECK.toString())
                  .exitCode())
          .as("HEALTHCHECK with nothing listening")
          .isNotZero();
    }
    readsASerialLineWithoutExtractingTheNativeLibrary(launcher);
  }

  /**
   * jSerialComm's native library comes from the runtime's lib/jSerialComm (build-runtime.sh), not
   * from an extraction to /tmp, which the stack mounts noexec: the runtime reads a meter over a
   * pseudo-terminal (socat, the stand-in for a USB RS485 stick) and leaves its temporary directory
   * empty.
   */
  private void readsASerialLineWithoutExtractingTheNativeLibrary(Path launcher) throws Exception {
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    Path lineDir = Files.createDirectories(workDir.resolve("line"));
    int port = FreePort.onLoopback();
    try (MeterSimulator sim =
            MeterSimulator.start(
                SimulatorOptions.defaults()
                    .withFraming(Framing.RTU_OVER_TCP)
                    .withPort(0)
                    .withUnitIds(Set.of(2)));
        PtyLine line = PtyLine.bridgedTo(sim.port(), lineDir);
        ChildProcess exporter =
            ChildProcess.start(
                List.of(
                    "env",
                    "JAVA_OPTS=-Djava.io.tmpdir=" + tmp,
                    launcher.toString(),
                    "run",
                    "--serial",
                    line.device().toString(),
                    "--unit-id",
                    "2",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--poll-interval",
                    "1s"),
                workDir.resolve("serial-exporter.log"))) {
      HttpClient http = HttpClient.newHttpClient();
      await("a serial meter read on the jlinked runtime")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(exporter.alive())
                    .as("exporter alive; log:%n%s", exporter.log())
                    .isTrue();
                String body =
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(body).contains("wago_up{meter=\"main\"} 1.0");
              });
      assertThat(exporter.log()).doesNotContain("UnsatisfiedLinkError", "Exception in thread");
      try (var left = Files.list(tmp)) {
        assertThat(left).as("nothing extracted to java.io.tmpdir").isEmpty();
      }
    }
  }

  @Test
  void scriptRefusesAMissingJarWithOneClearLine() {
    ExternalTool sh = ExternalTool.require("sh", "dash");
    ExternalTool.Result result =
        sh.run(
            RepoPaths.ROOT,
            BUILD_RUNTIME.toString(),
            "no-such.jar",
            workDir.resolve("x").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output().strip())
        .isEqualTo(
            "build-runtime.sh: jar 'no-such.jar' not found; build it first with: mvn -B -q package -DskipTests");
  }

  /** The jar the Dockerfile copies: failsafe runs after `package`, which built it. */
  private static Path shadedJar() {
    Path jar = RepoPaths.ROOT.resolve("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    return jar;
  }

  /**
   * A JDK 21 or newer (the image uses Temurin 25; the script also links on 17, with its older
   * compression option) from JAVA_HOME_21_PLUS or /usr/lib/jvm, where the build machines have
   * Temurin next to OpenJDK 17.
   */
  private static Path jdkWithJlink() throws IOException {
    Optional<Path> configured =
        Optional.ofNullable(System.getenv("JAVA_HOME_21_PLUS")).map(Path::of);
    Optional<Path> found = configured.isPresent() ? configured : findInUsrLibJvm();
    String message =
        "no JDK 21+ with jlink: set JAVA_HOME_21_PLUS or install Temurin 21+ under /usr/lib/jvm";
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    assumeTrue(found.isPresent(), message);
    return found.get();
  }

  private static Optional<Path> findInUsrLibJvm() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (var dirs = Files.list(jvms)) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("bin/jlink")) && featureVersion(d) >= 21)
          .max(Comparator.comparingInt(StackRuntimeIT::featureVersion));
    }
  }

  private static int featureVersion(Path jdk) {
    Properties release = new Properties();
    try (var in = Files.newInputStream(jdk.resolve("release"))) {
      release.load(in);
      String version = release.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
      return Integer.parseInt(version.split("[.+-]", -1)[0]);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
