package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, an unreachable Prometheus and odd answers (from {@link PrometheusStandIn}, a scripted
 * stand-in for a misbehaving Prometheus): one clear line on stderr and the documented exit code.
 */
class ReportCommandInputIT {
  private static String closedPortUrl() {
    return "http://127.0.0.1:" + FreePort.onLoopback();
  }

  @Test
  void badDateIsOneClearLineAndExitCode2() throws Exception {
    ReportRun result =
        ReportRun.of("--prometheus", closedPortUrl(), "--from", "2026-02-30", "--to", "2026-03-01");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().strip())
        .isEqualTo(
            "error: --from: '2026-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-29");
  }

  @Test
  void fromAfterToIsExitCode2() throws Exception {
    ReportRun result =
        ReportRun.of("--prometheus", closedPortUrl(), "--from", "2026-03-02", "--to", "2026-03-01");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err().strip())
        .isEqualTo(
            "error: --from 2026-03-02 is after --to 2026-03-01;"
                + " --to is the last day included, so give a date on or after --from");
  }

  @Test
  void unknownPeriodZoneAndPriceAreExitCode2() throws Exception {
    String url = closedPortUrl();
    assertThat(
            ReportRun.of(
                    "--prometheus",
                    url,
                    "--from",
                    "2026-03-01",
                    "--to",
                    "2026-03-01",
                    "--period",
                    "week")
                .err()
                .strip())
        .isEqualTo("error: --period: 'week' is not one of day, month");
    assertThat(
            ReportRun.of(
                    "--prometheus",
                    url,
                    "--from",
                    "2026-03-01",
                    "--to",
                    "2026-03-01",
                    "--tz",
                    "Vienna")
                .err()
                .strip())
        .isEqualTo(
            "error: --tz: 'Vienna' is not a time zone; use a region name such as Europe/Vienna");
    ReportRun price =
        ReportRun.of(
            "--prometheus", url, "--from", "2026-03-01", "--to", "2026-03-01", "--price", "0,32");
    assertThat(price.exit()).isEqualTo(2);
    assertThat(price.err().strip())
        .isEqualTo("error: --price: '0,32' is not a price per kWh; write it like 0.32");
  }

  @Test
  void unreachablePrometheusIsExitCode1() throws Exception {
    String url = closedPortUrl();
    ReportRun result =
        ReportRun.of(
            "--prometheus", url, "--from", "2026-03-01", "--to", "2026-03-01", "--tz", "UTC");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err().strip())
        .startsWith("error: cannot reach Prometheus at " + url + "/")
        .endsWith("is it running, and is --prometheus right?")
        .doesNotContain("\n");
  }

  @Test
  void daysAreChosenOnceAndNotInTheFuture() throws Exception {
    String url = closedPortUrl();
    ReportRun none = ReportRun.of("--prometheus", url, "--tz", "UTC");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err().strip())
        .isEqualTo(
            "error: which days? give --from and --to (YYYY-MM-DD, both included), or one of"
                + " --today, --yesterday, --this-month, --last-month");
    ReportRun both = ReportRun.of("--prometheus", url, "--today", "--from", "2026-03-01");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err().strip())
        .isEqualTo(
            "error: choose the days once: --today with --from/--to contradict each other;"
                + " give one shortcut, or --from and --to");
    // ReportRun's clock stands at 2027-01-01T00:00Z
    ReportRun future =
        ReportRun.of(
            "--prometheus", url, "--from", "2027-01-02", "--to", "2027-01-03", "--tz", "UTC");
    assertThat(future.exit()).isEqualTo(2);
    assertThat(future.err().strip())
        .isEqualTo(
            "error: --from 2027-01-02 has not begun yet (today is 2027-01-01 in UTC); give a day"
                + " up to today");
  }

  private static ReportRun reportFrom(PrometheusStandIn standIn, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--prometheus",
                standIn.uri().toString(),
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-01",
                "--tz",
                "UTC"));
    args.addAll(List.of(more));
    return ReportRun.of(args.toArray(String[]::new));
  }

  private static void assertOneLineProblem(ReportRun result, String contains) {
    assertThat(result.exit()).as(result.err()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().strip()).startsWith("error: ").contains(contains).doesNotContain("\n");
  }

  @Test
  void aBodyDrippedAfterTheHeadersEndsAtTheTotalDeadline() throws Exception {
    PrometheusStandIn.Answer drip =
        out -> {
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
                  .getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; i < 100_000; i++) {
            out.write(' ');
            out.flush();
            Thread.sleep(100);
          }
        };
    try (PrometheusStandIn standIn = new PrometheusStandIn(drip)) {
      ReportRun result =
          assertTimeoutPreemptively(
              Timeouts.scaled(Duration.ofSeconds(30)),
              () -> reportFrom(standIn, "--timeout", "2s"));
      assertOneLineProblem(result, "did not answer completely within 2s");
    }
  }

  /**
   * 1.5 GB of a valid-looking answer to the real jar with a 128 MiB heap: it stops reading at the
   * limit and exits on its own, instead of running out of memory.
   */
  @Test
  void aHugeAnswerIsCutOffAndTheJarExitsWithOneLine(@TempDir Path tmp) throws Exception {
    byte[] series =
        "{\"metric\":{\"counter\":\"x\",\"meter\":\"main\"},\"values\":[[1,\"1\"]]},"
            .repeat(1000)
            .getBytes(StandardCharsets.US_ASCII);
    long size = 1_500_000_000L;
    PrometheusStandIn.Answer huge =
        out -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + size
                      + "\r\n\r\n{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[")
                  .getBytes(StandardCharsets.US_ASCII));
          for (long sent = 0; sent < size; sent += series.length) out.write(series);
        };
    try (PrometheusStandIn standIn = new PrometheusStandIn(huge)) {
      Path log = tmp.resolve("report.log");
      Process report =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx128m",
                  "-jar",
                  Path.of("target/wago-exporter.jar").toAbsolutePath().toString(),
                  "report",
                  "--prometheus",
                  standIn.uri().toString(),
                  "--from",
                  "2026-03-01",
                  "--to",
                  "2026-03-01",
                  "--tz",
                  "UTC")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        boolean exited =
            report.waitFor(
                Timeouts.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(exited).as(Files.readString(log)).isTrue();
        assertThat(report.exitValue()).as(Files.readString(log)).isEqualTo(1);
        assertThat(Files.readString(log).strip())
            .startsWith("error: the answer from " + standIn.uri() + "/api/v1/query_range")
            .contains("is larger than 16 MiB")
            .doesNotContain("\n");
      } finally {
        report.destroyForcibly();
      }
    }
  }

  @Test
  void anEmptySamplePairIsOneLine() throws Exception {
    try (PrometheusStandIn standIn = new PrometheusStandIn(PrometheusStandIn.matrix("[[]]"))) {
      assertOneLineProblem(reportFrom(standIn), "sent a sample that is not [time, \"value\"]");
    }
  }

  @Test
  void aTimestampOf1e300IsOneLine() throws Exception {
    try (PrometheusStandIn standIn =
        new PrometheusStandIn(PrometheusStandIn.matrix("[[1e300,\"1\"]]"))) {
      assertOneLineProblem(reportFrom(standIn), "[1.0E300,\"1\"]");
    }
  }

  @Test
  void prometheusOwnInfinityIsOneLineAndExitCode1() throws Exception {
    try (PrometheusStandIn standIn =
        new PrometheusStandIn(PrometheusStandIn.matrix("[[1772323200,\"+Inf\"]]"))) {
      assertOneLineProblem(
          reportFrom(standIn),
          "holds +Inf for wago_system_active_energy_import_joules_total at 2026-03-01T00:00:00Z");
    }
  }

  @Test
  void aRedirectIsOneLineNamingWhereItLeads() throws Exception {
    PrometheusStandIn.Answer redirect =
        out ->
            out.write(
                String.join(
                        "\r\n",
                        "HTTP/1.1 302 Found",
                        "Location: http://127.0.0.1:9/login",
                        "Content-Length: 0",
                        "Connection: close",
                        "",
                        "")
                    .getBytes(StandardCharsets.US_ASCII));
    try (PrometheusStandIn standIn = new PrometheusStandIn(redirect)) {
      assertOneLineProblem(reportFrom(standIn), "redirects to http://127.0.0.1:9/login");
    }
  }
}
