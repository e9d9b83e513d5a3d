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
