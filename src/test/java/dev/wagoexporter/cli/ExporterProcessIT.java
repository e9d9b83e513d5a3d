package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.testsupport.ChildProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it: exit codes and the one line of a start-up failure, an
 * environment variable named in its error, log lines in both formats, the line at shutdown.
 */
class ExporterProcessIT {
  @TempDir Path dir;

  /** An exit code and everything the process wrote (stdout and stderr together). */
  record Exit(int code, String output) {
    List<String> lines() {
      return output.lines().toList();
    }
  }

  private static Path jar() {
    Path jar = Path.of("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    return jar;
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a command that must end by itself. */
  private Exit run(Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WAGO_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("did not end: " + String.join(" ", args));
    }
    return new Exit(p.exitValue(), Files.readString(log));
  }

  @Test
  void aPortInUseIsExitCodeTwoAndOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      Exit exit = run(Map.of(), "demo", "--listen", listen, "--log.level", "warn");
      assertThat(exit.code()).as(exit.output()).isEqualTo(2);
      assertThat(exit.lines()).hasSize(1);
      assertThat(exit.output()).startsWith("error: cannot listen on " + listen + ": ");
    }
  }

  @Test
  void aProxyPortInUseIsExitCodeTwoAndOneLineLikeTheHttpPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String proxy = "127.0.0.1:" + taken.getLocalPort();
      Exit exit =
          run(
              Map.of(),
              "--gateway",
              "127.0.0.1:" + FreePort.onLoopback(),
              "--listen",
              "127.0.0.1:" + FreePort.onLoopback(),
              "--proxy.listen-address",
              proxy,
              "--log.level",
              "warn");
      assertThat(exit.code()).as(exit.output()).isEqualTo(2);
      assertThat(exit.lines()).hasSize(1);
      assertThat(exit.output())
          .startsWith("error: cannot listen on " + proxy + " for the Modbus TCP proxy: ")
          .contains("--proxy.listen-address");
    }
  }

  @Test
  void anUnresolvableListenHostIsExitCodeTwoAndOneLine() throws Exception {
    Exit exit = run(Map.of(), "--gateway", "127.0.0.1:1", "--listen", "nosuchhost.invalid:9100");
    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.lines())
        .containsExactly(
            "error: cannot listen on nosuchhost.invalid:9100: the host 'nosuchhost.invalid' does"
                + " not resolve (give an address of this machine, e.g. 127.0.0.1:9100, or :9100"
                + " for all interfaces)");
  }

  @Test
  void anEnvironmentVariableErrorNamesTheVariable() throws Exception {
    Exit exit = run(Map.of("WAGO_GATEWAY", "127.0.0.1:1", "WAGO_POLL_INTERVAL", "30"));
    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.lines())
        .containsExactly(
            "error: WAGO_POLL_INTERVAL=30: duration '30' has no unit (write e.g. 30s for seconds;"
                + " units are ms, s, m, h)");
    Exit flag = run(Map.of(), "--gateway", "127.0.0.1:1", "--poll-interval", "30");
    assertThat(flag.output()).startsWith("error: --poll-interval: duration '30' has no unit");
    Exit name = run(Map.of("WAGO_GATEWAY", "127.0.0.1:1", "WAGO_METER_NAME", "a b"));
    assertThat(name.code()).isEqualTo(2);
    assertThat(name.output()).startsWith("error: WAGO_METER_NAME=a b: 'a b' is not a valid");
    Exit nameFlag = run(Map.of(), "--gateway", "127.0.0.1:1", "--meter-name", "a b");
    assertThat(nameFlag.output()).startsWith("error: --meter-name: 'a b' is not a valid");
    Exit level = run(Map.of("WAGO_LOG_LEVEL", "chatty"), "--gateway", "127.0.0.1:1");
    assertThat(level.lines())
        .containsExactly(
            "error: WAGO_LOG_LEVEL=chatty: unknown log level 'chatty' (use debug, info, warn or"
                + " error)");
  }

  /**
   * A bad boolean, whole number or profile is said in the same words whether it came from a flag,
   * an environment variable or the config file: only the place in front differs.
   */
  /** One unit id rule, one message: only the place in front differs (/probe: ProbeEndpointTest). */
  @Test
  void aUnitIdOutsideTheRangeReadsTheSameFromFlagVariableFileAndProxyUnits() throws Exception {
    String outside = "unit id 248 is outside 1..247 (" + UnitIds.FIX + ")";
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--unit-id", "248").lines())
        .containsExactly("error: --unit-id: " + outside);
    assertThat(run(Map.of("WAGO_GATEWAY", "127.0.0.1:1", "WAGO_UNIT_ID", "248")).lines())
        .containsExactly("error: WAGO_UNIT_ID=248: " + outside);
    assertThat(run(Map.of(), "check", "--gateway", "127.0.0.1:1", "--unit-id", "248").lines())
        .containsExactly("error: --unit-id: " + outside);
    Path file = dir.resolve("units.yml");
    Files.writeString(file, "meters:\n  - gateway: {host: 127.0.0.1, port: 1}\n    unit_id: 248\n");
    assertThat(run(Map.of(), "--config", file.toString()).lines())
        .containsExactly("error: " + file + ":3:14: meters[0].unit_id: " + outside);
    assertThat(
            run(
                    Map.of(),
                    "--gateway",
                    "127.0.0.1:1",
                    "--proxy.listen-address",
                    "127.0.0.1:" + FreePort.onLoopback(),
                    "--proxy.units",
                    "5,248")
                .lines())
        .containsExactly("error: --proxy.units: " + outside);
  }

  @Test
  void aBadBooleanNumberOrProfileReadsTheSameFromFlagVariableAndFile() throws Exception {
    String bool = "expected true or false, got 'yes' (write true or false";
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--legacy-metrics=yes").lines())
        .containsExactly("error: --legacy-metrics: " + bool + ")");
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--legacy-metrics", "yes").lines())
        .containsExactly(
            "error: --legacy-metrics: " + bool + ", or give --legacy-metrics alone for true)");
    assertThat(run(Map.of("WAGO_GATEWAY", "127.0.0.1:1", "WAGO_LEGACY_METRICS", "yes")).lines())
        .containsExactly("error: WAGO_LEGACY_METRICS=yes: " + bool + ")");
    Path file = dir.resolve("wago.yml");
    Files.writeString(
        file, "legacy_metrics: yes\nmeters:\n  - gateway: {host: 127.0.0.1, port: 1}\n");
    assertThat(run(Map.of(), "--config", file.toString()).lines())
        .containsExactly("error: " + file + ":1:17: legacy_metrics: " + bool + ")");

    String number =
        "expected a whole number, got 'abc' (write digits only, without quotes or units)";
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--unit-id", "abc").lines())
        .containsExactly("error: --unit-id: " + number);
    assertThat(run(Map.of("WAGO_GATEWAY", "127.0.0.1:1", "WAGO_UNIT_ID", "abc")).lines())
        .containsExactly("error: WAGO_UNIT_ID=abc: " + number);
    assertThat(run(Map.of("WAGO_UNIT_ID", "abc"), "check", "--gateway", "127.0.0.1:1").lines())
        .containsExactly("error: WAGO_UNIT_ID=abc: " + number);
    Files.writeString(file, "meters:\n  - gateway: {host: 127.0.0.1, port: 1}\n    unit_id: abc\n");
    assertThat(run(Map.of(), "--config", file.toString()).lines())
        .containsExactly("error: " + file + ":3:14: meters[0].unit_id: " + number);

    String profile =
        "profile 'foo' is not built in, and %s is not a readable file (use a built-in profile:"
            + " wago-879-30xx; or the path of a profile file, relative to %s)";
    String inWorkingDirectory =
        String.format(profile, Path.of("foo").toAbsolutePath(), "the current directory");
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--profile", "foo").lines())
        .containsExactly("error: --profile: " + inWorkingDirectory);
    assertThat(run(Map.of("WAGO_PROFILE", "foo"), "check", "--gateway", "127.0.0.1:1").lines())
        .containsExactly("error: WAGO_PROFILE=foo: " + inWorkingDirectory);
    Files.writeString(file, "meters:\n  - gateway: {host: 127.0.0.1, port: 1}\n    profile: foo\n");
    assertThat(run(Map.of(), "--config", file.toString()).lines())
        .containsExactly(
            "error: "
                + file
                + ":3:14: meters[0].profile: "
                + String.format(profile, dir.resolve("foo"), "the config file's directory"));
  }

  @Test
  void aListenErrorNamesTheFlagAsTyped() throws Exception {
    String range = ": port 99999 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. :9100)";
    assertThat(run(Map.of(), "--gateway", "127.0.0.1:1", "--listen", "127.0.0.1:99999").lines())
        .containsExactly("error: --listen" + range);
    assertThat(
            run(Map.of(), "--gateway", "127.0.0.1:1", "--web.listen-address=127.0.0.1:99999")
                .lines())
        .containsExactly("error: --web.listen-address" + range);
  }

  @Test
  void versionSaysRevisionBuildDateAndJava() throws Exception {
    Exit exit = run(Map.of(), "--version");
    assertThat(exit.code()).isEqualTo(0);
    assertThat(exit.lines()).hasSize(4);
    assertThat(exit.lines().get(0)).matches("wago-exporter \\S+");
    assertThat(exit.lines().get(1)).matches("  revision: +([0-9a-f]{7,}(-dirty)?|unknown)");
    assertThat(exit.lines().get(2)).matches("  build date: +\\d{4}-\\d\\d-\\d\\dT\\S+Z");
    assertThat(exit.lines().get(3)).startsWith("  java:       " + Runtime.version().feature());
  }

  @Test
  void jsonLogsOneObjectPerLineAndALineAtShutdown() throws Exception {
    int port = FreePort.onLoopback();
    Path log = dir.resolve("demo-json.log");
    ChildProcess demo =
        ChildProcess.start(
            command("demo", "--listen", "127.0.0.1:" + port, "--log.format", "json"), log);
    try {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> demo.log().contains("polling works") || !demo.alive());
      assertThat(demo.alive()).as(demo.log()).isTrue();
    } finally {
      demo.close(); // SIGTERM, as Docker stops it
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : demo.log().lines().toList()) {
      lines.add(json.readTree(line)); // every line is one JSON object
    }
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l.fieldNames())
                    .toIterable()
                    .contains("ts", "level", "component", "msg"));
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.get("component").asText()).isEqualTo("poll");
              assertThat(l.get("meter").asText()).isEqualTo("main");
              assertThat(l.get("msg").asText()).contains("polling works");
            });
    assertThat(lines.get(lines.size() - 1).get("msg").asText())
        .matches("wago-exporter stopped in \\d+ ms");
    assertThat(demo.log()).doesNotContain("dev.wagoexporter.");
  }

  @Test
  void processMetricsAreServedAndPromtoolFindsNothingToSay() throws Exception {
    ExternalTool promtool = ExternalTool.require("promtool", "prometheus");
    int port = FreePort.onLoopback();
    ChildProcess demo =
        ChildProcess.start(
            command("demo", "--listen", "127.0.0.1:" + port), dir.resolve("demo-metrics.log"));
    String body;
    try {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> demo.log().contains("polling works") || !demo.alive());
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      body = response.body();
    } finally {
      demo.close();
    }
    for (String family :
        List.of(
            "process_cpu_seconds_total counter",
            "process_resident_memory_bytes gauge",
            "process_virtual_memory_bytes gauge",
            "process_open_fds gauge",
            "process_max_fds gauge",
            "process_start_time_seconds gauge")) {
      assertThat(body).contains("# TYPE " + family + "\n");
    }
    assertThat(body).containsPattern("(?m)^process_open_fds [1-9]");
    Path scraped = dir.resolve("metrics.txt");
    Files.writeString(scraped, body);
    ExternalTool.Result check =
        ExternalTool.require("sh", "dash")
            .run(dir, "-c", promtool.path() + " check metrics < " + scraped);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output().strip()).as("promtool's warnings").isEmpty();
  }

  @Test
  void logfmtIsTheDefaultAndDebugShowsMore() throws Exception {
    int port = FreePort.onLoopback();
    Path log = dir.resolve("demo-logfmt.log");
    ChildProcess demo =
        ChildProcess.start(
            command("demo", "--web.listen-address", "127.0.0.1:" + port, "--log.level=debug"), log);
    try {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> demo.log().contains("polling works") || !demo.alive());
      assertThat(demo.alive()).as(demo.log()).isTrue();
    } finally {
      demo.close();
    }
    List<String> lines = demo.log().lines().toList();
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches("ts=\\S+Z level=(debug|info|warn|error) component=[a-z]+ .*msg=.*"));
    assertThat(lines).anyMatch(l -> l.contains("serving http://127.0.0.1:" + port + "/metrics"));
    assertThat(lines.get(lines.size() - 1)).contains("msg=\"wago-exporter stopped in ");
  }
}
