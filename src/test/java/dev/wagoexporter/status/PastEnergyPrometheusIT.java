package dev.wagoexporter.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.report.MeterHistory;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page's yesterday and this month, read from a real Prometheus holding a known history
 * by the report's reader: a meter drawing a constant 1,750 W (300 W exported) since the evening of
 * 27 March 2026 in Vienna, read at noon on the 30th, so yesterday is the 23-hour DST day and this
 * month runs from the first reading. Without a Prometheus the periods are "unavailable" with the
 * reason, and the page's call never waits for Prometheus.
 */
class PastEnergyPrometheusIT {
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");
  private static final Instant NOON = local("2026-03-30T12:00");

  @TempDir Path work;

  @Test
  void yesterdayAndThisMonthComeFromPrometheusWithoutTheCallerWaiting() throws Exception {
    MeterHistory history =
        new MeterHistory(
                "main",
                List.of(
                    new MeterHistory.Phase("L1", 1000, 200),
                    new MeterHistory.Phase("L2", 500, 0),
                    new MeterHistory.Phase("L3", 250, 100)),
                Duration.ofMinutes(15))
            .stretch(local("2026-03-27T21:59:47"), NOON);
    Path data = work.resolve("data");
    PrometheusProcess.backfill(history.openMetricsPerStretch(), data, work);
    try (PrometheusProcess prometheus = PrometheusProcess.startOnHistory(data, work, false);
        PastEnergy past =
            new PastEnergy(
                prometheus.uri(), VIENNA, OptionalDouble.of(0.5), Clock.fixed(NOON, VIENNA))) {
      long started = System.nanoTime();
      PastEnergy.Past first = past.of("main");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(first.yesterday().state()).isEqualTo("pending");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "ok".equals(past.of("main").thisMonth().state()));
      PastEnergy.Past known = past.of("main");

      PastEnergy.Period yesterday = known.yesterday();
      assertThat(yesterday.state()).isEqualTo("ok");
      assertThat(yesterday.label()).isEqualTo("2026-03-29");
      assertThat(yesterday.importKwh()).isCloseTo(1.75 * 23, within(1e-6));
      assertThat(yesterday.exportKwh()).isCloseTo(0.3 * 23, within(1e-6));
      assertThat(yesterday.cost()).isCloseTo(0.5 * 1.75 * 23, within(1e-6));
      assertThat(yesterday.partial()).isFalse();

      PastEnergy.Period month = known.thisMonth();
      assertThat(month.partial()).isTrue();
      Instant from = OffsetDateTime.parse(month.from()).toInstant();
      Instant until = OffsetDateTime.parse(month.until()).toInstant();
      assertThat(from).isEqualTo(local("2026-03-27T22:00"));
      assertThat(until).isEqualTo(NOON);
      double hours = Duration.between(from, until).toSeconds() / 3600.0;
      assertThat(month.importKwh()).isCloseTo(1.75 * hours, within(1e-6));
    }
  }

  @Test
  void withoutAPrometheusThePeriodsAreUnavailableWithTheReason() throws Exception {
    URI nobody = URI.create("http://127.0.0.1:" + FreePort.onLoopback());
    try (PastEnergy past =
        new PastEnergy(nobody, VIENNA, OptionalDouble.empty(), Clock.fixed(NOON, VIENNA))) {
      assertThat(past.of("main").yesterday().state()).isEqualTo("pending");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "unavailable".equals(past.of("main").yesterday().state()));
      PastEnergy.Period yesterday = past.of("main").yesterday();
      assertThat(yesterday.importKwh()).isNull();
      assertThat(yesterday.missing()).contains("cannot reach Prometheus at " + nobody);
    }
  }

  private static Instant local(String dateTime) {
    return LocalDateTime.parse(dateTime).atZone(VIENNA).toInstant();
  }
}
