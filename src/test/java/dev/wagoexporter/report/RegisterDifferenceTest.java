package dev.wagoexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RegisterDifferenceTest {
  private static final EnergyRegister L1 = new EnergyRegister(EnergyDirection.IMPORT, "L1");
  private static final ReportPeriod DAY =
      CalendarPeriods.between(
              LocalDate.parse("2026-01-10"),
              LocalDate.parse("2026-01-10"),
              PeriodUnit.DAY,
              ZoneOffset.UTC)
          .get(0);
  private static final Instant MIDNIGHT = DAY.start().toInstant();

  private static Instant at(int minutes) {
    return MIDNIGHT.plusSeconds(60L * minutes);
  }

  @Test
  void withoutResetItIsTheEndReadingMinusTheStartReadingAndNeedsNoRawSamples() throws Exception {
    NavigableMap<Instant, Double> grid = new TreeMap<>();
    grid.put(at(0), 1000.0);
    grid.put(at(15), 1100.0);
    // a gap of several grid points inside the day does not matter to a register difference
    grid.put(at(24 * 60), 5000.0);
    PeriodEnergy energy =
        RegisterDifference.over(
            L1,
            grid,
            DAY,
            (r, a, b) -> {
              throw new AssertionError("raw samples read without a reset");
            });
    assertThat(energy.joules()).hasValue(4000.0);
    assertThat(energy.resets()).isZero();
  }

  @Test
  void aResetCountsTheRisesBeforeAndAfterItButNotTheNewMetersReading() throws Exception {
    NavigableMap<Instant, Double> grid = new TreeMap<>();
    grid.put(at(0), 1000.0);
    grid.put(at(15), 1300.0);
    grid.put(at(30), 70.0); // replaced meter: lower reading
    grid.put(at(24 * 60), 170.0);
    List<Instant[]> asked = new ArrayList<>();
    PeriodEnergy energy =
        RegisterDifference.over(
            L1,
            grid,
            DAY,
            (r, after, upTo) -> {
              asked.add(new Instant[] {after, upTo});
              return List.of(
                  new Sample(at(20), 1400.0), new Sample(at(25), 50.0), new Sample(at(30), 70.0));
            });
    // 300 (grid) + 100 (up to the last old sample) + 20 (after the first new sample) + 100 (grid)
    assertThat(energy.joules()).hasValue(520.0);
    assertThat(energy.resets()).isEqualTo(1);
    assertThat(asked)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s[0]).isEqualTo(at(15));
              assertThat(s[1]).isEqualTo(at(30));
            });
  }

  @Test
  void aMissingBoundaryReadingIsUnknownNeverZero() throws Exception {
    NavigableMap<Instant, Double> grid = new TreeMap<>();
    grid.put(at(0), 1000.0);
    PeriodEnergy energy = RegisterDifference.over(L1, grid, DAY, (r, a, b) -> List.of());
    assertThat(energy.isKnown()).isFalse();
    assertThat(energy.kwh()).isEmpty();
    assertThat(energy.missing()).isEqualTo("no reading at end 2026-01-11T00:00Z");
  }
}
