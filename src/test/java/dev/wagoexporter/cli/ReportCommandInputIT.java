package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * Bad input and an unreachable Prometheus: one clear line on stderr and the documented exit code.
 */
class ReportCommandInputIT {
  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
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
}
