package dev.wagoexporter.report;

import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A finished report.
 *
 * @param phases the phase labels found in Prometheus, sorted ({@code L1, L2, L3})
 * @param directions the columns' directions: import and export always, combined when Prometheus has
 *     combined counters or the old exporter's gauges in the range
 * @param averages the names of the {@code --average} columns, in the order given
 * @param baseTemperature the heating degree days' base, in °C
 */
public record EnergyReport(
    String meter,
    ZoneId zone,
    PeriodUnit unit,
    OptionalDouble pricePerKwh,
    List<String> phases,
    List<EnergyDirection> directions,
    List<PeriodRow> rows,
    List<String> averages,
    double baseTemperature) {
  public EnergyReport {
    averages = List.copyOf(averages);
    phases = List.copyOf(phases);
    directions = List.copyOf(directions);
    rows = List.copyOf(rows);
  }

  /**
   * The sum of every row, per register; unknown where a row is. Partial when the last row is (it
   * runs to that row's {@code until}).
   */
  public PeriodRow total() {
    java.util.Map<EnergyRegister, PeriodEnergy> sums = new java.util.HashMap<>();
    for (EnergyRegister register : registers()) {
      double joules = 0;
      int resets = 0;
      String missing = null;
      for (PeriodRow row : rows) {
        PeriodEnergy e = row.of(register);
        if (!e.isKnown()) {
          missing = "period " + row.period().label() + " is missing";
          break;
        }
        joules += e.joules().getAsDouble();
        resets += e.resets();
      }
      sums.put(
          register,
          missing == null ? PeriodEnergy.known(joules, resets) : PeriodEnergy.unknown(missing));
    }
    java.util.Map<String, SeriesStats> averages = new java.util.HashMap<>();
    double degreeDays = 0;
    boolean degreeDaysKnown = !rows.isEmpty();
    ReadingSource source = ReadingSource.NONE;
    for (PeriodRow row : rows) {
      source = source.plus(row.source());
      row.averages().forEach((name, stats) -> averages.merge(name, stats, SeriesStats::plus));
      if (row.degreeDays().isPresent()) degreeDays += row.degreeDays().getAsDouble();
      else degreeDaysKnown = false;
    }
    PeriodRow last = rows.get(rows.size() - 1);
    ReportPeriod all = new ReportPeriod("total", rows.get(0).period().start(), last.period().end());
    return new PeriodRow(
        all,
        sums,
        rows.get(0).from(),
        last.until(),
        averages,
        degreeDaysKnown ? OptionalDouble.of(degreeDays) : OptionalDouble.empty(),
        source);
  }

  /** Whether a row used the old exporter's gauges: the table then shows the source column. */
  public boolean usesLegacy() {
    return rows.stream()
        .anyMatch(r -> r.source() == ReadingSource.LEGACY || r.source() == ReadingSource.STITCHED);
  }

  /** Whether the rows have heating degree days (an outdoor temperature was given). */
  public boolean hasDegreeDays() {
    return averages.contains(ReportRequest.OUTDOOR);
  }

  /** Columns in print order: per direction the phases, then the meter's total register. */
  public List<EnergyRegister> registers() {
    List<EnergyRegister> registers = new java.util.ArrayList<>();
    for (EnergyDirection direction : directions) {
      for (String phase : phases) registers.add(new EnergyRegister(direction, phase));
      registers.add(new EnergyRegister(direction, EnergyRegister.TOTAL));
    }
    return registers;
  }
}
