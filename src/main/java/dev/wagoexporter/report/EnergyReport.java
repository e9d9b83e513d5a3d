package dev.wagoexporter.report;

import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A finished report.
 *
 * @param phases the phase labels found in Prometheus, sorted ({@code L1, L2, L3})
 */
public record EnergyReport(
    String meter,
    ZoneId zone,
    PeriodUnit unit,
    OptionalDouble pricePerKwh,
    List<String> phases,
    List<PeriodRow> rows) {
  public EnergyReport {
    phases = List.copyOf(phases);
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
    PeriodRow last = rows.get(rows.size() - 1);
    ReportPeriod all = new ReportPeriod("total", rows.get(0).period().start(), last.period().end());
    return new PeriodRow(all, sums, rows.get(0).from(), last.until());
  }

  /** Columns in print order: per direction the phases, then the meter's total register. */
  public List<EnergyRegister> registers() {
    List<EnergyRegister> registers = new java.util.ArrayList<>();
    for (EnergyDirection direction : EnergyDirection.values()) {
      for (String phase : phases) registers.add(new EnergyRegister(direction, phase));
      registers.add(new EnergyRegister(direction, EnergyRegister.TOTAL));
    }
    return registers;
  }
}
