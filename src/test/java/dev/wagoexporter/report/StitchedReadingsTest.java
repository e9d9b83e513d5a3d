package dev.wagoexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StitchedReadingsTest {
  private static final EnergyRegister TOTAL =
      new EnergyRegister(EnergyDirection.COMBINED, EnergyRegister.TOTAL);
  private static final ReportPeriod DAY =
      CalendarPeriods.between(
              LocalDate.parse("2026-01-10"),
              LocalDate.parse("2026-01-10"),
              PeriodUnit.DAY,
              ZoneOffset.UTC)
          .get(0);
  private static final Instant MIDNIGHT = DAY.start().toInstant();
  private static final RawSampleSource NO_RAW =
      (r, a, b) -> {
        throw new AssertionError("raw samples read without a drop");
      };

  private static Instant at(int minutes) {
    return MIDNIGHT.plusSeconds(60L * minutes);
  }

  private static NavigableMap<Instant, Double> readings(Object... timeValue) {
    NavigableMap<Instant, Double> map = new TreeMap<>();
    for (int i = 0; i < timeValue.length; i += 2) {
      map.put(at((Integer) timeValue[i]), ((Number) timeValue[i + 1]).doubleValue());
    }
    return map;
  }

  @Test
  void theCountersWinFromTheirFirstReadingAndTheOverlapCountsOnce() throws Exception {
    StitchedReadings stitched =
        StitchedReadings.of(
            Map.of(TOTAL, readings(720, 5000, 1440, 9000)),
            Map.of(TOTAL, readings(0, 1000, 360, 3000, 720, 5000, 735, 5100, 1440, 1)));
    assertThat(stitched.switchAt()).isEqualTo(at(720));
    // a legacy reading after the switch (here a stale 1) is never used
    assertThat(stitched.readings().get(TOTAL).get(at(1440))).isEqualTo(9000.0);
    assertThat(stitched.readings().get(TOTAL)).doesNotContainKey(at(735));
    PeriodEnergy energy =
        RegisterDifference.over(
            TOTAL, stitched.readings().get(TOTAL), DAY, stitched.raw(NO_RAW, NO_RAW));
    assertThat(energy.joules()).hasValue(8000.0);
    assertThat(stitched.source(at(0), at(1440))).isEqualTo(ReadingSource.STITCHED);
    assertThat(stitched.source(at(0), at(360))).isEqualTo(ReadingSource.LEGACY);
    assertThat(stitched.source(at(720), at(1440))).isEqualTo(ReadingSource.COUNTERS);
    assertThat(stitched.source(at(1), at(2))).isEqualTo(ReadingSource.NONE);
  }

  @Test
  void aHeldValueAddsNothingAndTheDayStaysTheRegisterDifference() throws Exception {
    StitchedReadings stitched =
        StitchedReadings.of(
            Map.of(), Map.of(TOTAL, readings(0, 1000, 15, 1100, 30, 1100, 45, 1100, 1440, 4000)));
    PeriodEnergy energy =
        RegisterDifference.over(
            TOTAL, stitched.readings().get(TOTAL), DAY, stitched.raw(NO_RAW, NO_RAW));
    assertThat(energy.joules()).hasValue(3000.0);
    assertThat(stitched.source(at(0), at(1440))).isEqualTo(ReadingSource.LEGACY);
  }

  @Test
  void aRestartsZerosAreNoReadingsSoTheRegisterIsNotCountedAgain() throws Exception {
    StitchedReadings stitched =
        StitchedReadings.of(
            Map.of(), Map.of(TOTAL, readings(0, 1000, 15, 0, 30, 0, 45, 1200, 1440, 2000)));
    assertThat(stitched.readings().get(TOTAL)).doesNotContainKeys(at(15), at(30));
    PeriodEnergy energy =
        RegisterDifference.over(
            TOTAL, stitched.readings().get(TOTAL), DAY, stitched.raw(NO_RAW, NO_RAW));
    assertThat(energy.joules()).hasValue(1000.0);
    assertThat(energy.resets()).isZero();
  }

  @Test
  void aDropToAnotherReadingIsAResetCountingTheRisesAroundIt() throws Exception {
    StitchedReadings stitched =
        StitchedReadings.of(
            Map.of(), Map.of(TOTAL, readings(0, 1000, 15, 1300, 30, 70, 1440, 170)));
    // the legacy raw samples of the stretch hold a restart's 0 as well: left out, not a rise
    RawSampleSource legacyRaw =
        (r, after, upTo) ->
            List.of(
                new Sample(at(20), 1400.0),
                new Sample(at(21), 0.0),
                new Sample(at(22), 1450.0),
                new Sample(at(25), 50.0),
                new Sample(at(30), 70.0));
    PeriodEnergy energy =
        RegisterDifference.over(
            TOTAL, stitched.readings().get(TOTAL), DAY, stitched.raw(NO_RAW, legacyRaw));
    // 300 + 100 + 50 before the drop (the 0 between is no reading), 20 after it, 100 on the grid
    assertThat(energy.joules()).hasValue(570.0);
    assertThat(energy.resets()).isEqualTo(1);
  }

  @Test
  void aMeterResetToZeroIsKeptAsAReading() {
    NavigableMap<Instant, Double> kept =
        LegacyGauges.withoutRestartZeros(readings(0, 1000, 15, 0, 30, 20, 45, 40));
    assertThat(kept).containsKey(at(15));
    NavigableMap<Instant, Double> trailing =
        LegacyGauges.withoutRestartZeros(readings(0, 1000, 15, 0, 30, 0));
    assertThat(trailing).containsOnlyKeys(at(0));
  }

  @Test
  void legacyGaugesAreTheCombinedRegistersInJoules() {
    assertThat(LegacyGauges.register("wago_energy_total_kwh")).isEqualTo(TOTAL);
    assertThat(LegacyGauges.register("wago_energy_L2_kwh"))
        .isEqualTo(new EnergyRegister(EnergyDirection.COMBINED, "L2"));
    assertThat(LegacyGauges.register("wago_power_total_kw")).isNull();
    assertThat(LegacyGauges.joules(1.5)).isEqualTo(5.4e6);
  }
}
