package dev.wagoexporter.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Today's energy from the exporter's own readings: since midnight, or since the first reading. */
class EnergyTodayTest {
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");
  private static final double KWH = 3.6e6;

  @Test
  void startedTodayCountsFromTheFirstReading() {
    EnergyToday energy = new EnergyToday(VIENNA, Duration.ofSeconds(65));
    energy.add(local("2026-06-15T14:02"), 100 * KWH, 5 * KWH);
    energy.add(local("2026-06-15T14:02:30"), 100.5 * KWH, 5 * KWH);
    energy.add(local("2026-06-15T14:03"), 101 * KWH, 5.25 * KWH);

    EnergyToday.Today today = energy.today(local("2026-06-15T14:03:10"));
    assertThat(today.sinceMidnight()).isFalse();
    assertThat(today.since()).isEqualTo(local("2026-06-15T14:02"));
    assertThat(today.until()).isEqualTo(local("2026-06-15T14:03"));
    assertThat(today.importJoules() / KWH).isCloseTo(1, within(1e-9));
    assertThat(today.exportJoules() / KWH).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void aReadingShortlyBeforeMidnightMakesTodayRunFromMidnight() {
    EnergyToday energy = new EnergyToday(VIENNA, Duration.ofSeconds(65));
    energy.add(local("2026-06-15T23:59:40"), 100 * KWH, 0);
    energy.add(local("2026-06-16T00:00:10"), 100.2 * KWH, 0);
    energy.add(local("2026-06-16T00:00:40"), 100.3 * KWH, 0);

    EnergyToday.Today today = energy.today(local("2026-06-16T00:01"));
    assertThat(today.sinceMidnight()).isTrue();
    assertThat(today.importJoules() / KWH).isCloseTo(0.3, within(1e-9));
    assertThat(energy.today(local("2026-06-17T00:01"))).as("no reading of that day").isNull();
  }

  @Test
  void aLongGapAcrossMidnightOrAFallingRegisterCountsNothing() {
    EnergyToday energy = new EnergyToday(VIENNA, Duration.ofSeconds(65));
    energy.add(local("2026-06-15T22:00"), 100 * KWH, 0);
    energy.add(local("2026-06-16T06:00"), 110 * KWH, 0);
    energy.add(local("2026-06-16T06:00:30"), 2 * KWH, 0); // meter replaced
    energy.add(local("2026-06-16T06:01"), 2.5 * KWH, Double.NaN);

    EnergyToday.Today today = energy.today(local("2026-06-16T06:02"));
    assertThat(today.sinceMidnight()).isFalse();
    assertThat(today.since()).isEqualTo(local("2026-06-16T06:00"));
    assertThat(today.importJoules() / KWH).isCloseTo(0.5, within(1e-9));
  }

  private static Instant local(String dateTime) {
    return LocalDateTime.parse(dateTime).atZone(VIENNA).toInstant();
  }
}
