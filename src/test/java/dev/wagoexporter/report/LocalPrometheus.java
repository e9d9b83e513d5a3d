package dev.wagoexporter.report;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on loopback, for tests. Skips the test
 * when a tool is missing, except on CI ({@code CI=true}), where .ci/run installs it and a missing
 * one is a failure.
 */
public final class LocalPrometheus implements AutoCloseable {
  private final Process process;
  private final URI uri;
  private final Path log;

  private LocalPrometheus(Process process, URI uri, Path log) {
    this.process = process;
    this.uri = uri;
    this.log = log;
  }

  public static Path binary(String name) {
    return binary(name, "prometheus");
  }

  public static Path binary(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate;
    }
    String message = name + " not found on PATH: install it with `apt-get install " + debianPackage + "`";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(message);
    assumeTrue(false, message);
    return null;
  }

  /** Writes OpenMetrics texts as TSDB blocks into {@code dataDir}. */
  public static void backfill(List<String> openMetrics, Path dataDir, Path workDir) throws Exception {
    Files.createDirectories(dataDir);
    for (int i = 0; i < openMetrics.size(); i++) {
      Path input = workDir.resolve("backfill-" + i + ".om.txt");
      Files.writeString(input, openMetrics.get(i));
      run(List.of(binary("promtool").toString(), "tsdb", "create-blocks-from", "openmetrics", "-q",
          input.toString(), dataDir.toString()), workDir.resolve("promtool.log"));
    }
  }

  public static LocalPrometheus start(Path dataDir, Path workDir, boolean adminApi) throws Exception {
    Path config = workDir.resolve("prometheus.yml");
    // no scrape jobs: the test data is backfilled and must not change while a test reads it
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(binary("prometheus").toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dataDir,
        // the fixed test dates must never fall out of retention, whenever the test runs
        "--storage.tsdb.retention.time=100y",
        "--web.listen-address=127.0.0.1:" + port));
    if (adminApi) command.add("--web.enable-admin-api");
    Path log = workDir.resolve("prometheus-" + port + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    LocalPrometheus prometheus = new LocalPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
    prometheus.awaitReady();
    return prometheus;
  }

  public URI uri() {
    return uri;
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) fail("prometheus exited: " + Files.readString(log));
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    fail("prometheus not ready after 60 s: " + Files.readString(log));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  public static String run(List<String> command, Path log) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " timed out: " + Files.readString(log));
    }
    String output = Files.readString(log);
    if (p.exitValue() != 0) fail(command + " exited " + p.exitValue() + ": " + output);
    return output;
  }
}
