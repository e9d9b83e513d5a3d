package dev.wagoexporter.report;

import java.util.Map;
import java.util.OptionalDouble;

/** One period of a report with the energy of every register. */
public record PeriodRow(ReportPeriod period, Map<EnergyRegister, PeriodEnergy> energy) {
  public PeriodRow {
    energy = Map.copyOf(energy);
  }

  public PeriodEnergy of(EnergyRegister register) {
    PeriodEnergy e = energy.get(register);
    return e != null
        ? e
        : PeriodEnergy.unknown("no series " + register.metric() + " for phase " + register.phase());
  }

  public boolean complete() {
    return energy.values().stream().allMatch(PeriodEnergy::isKnown);
  }

  public int resets() {
    return energy.values().stream().mapToInt(PeriodEnergy::resets).max().orElse(0);
  }

  /** Cost of the imported energy, from the meter's total import register. */
  public OptionalDouble cost(OptionalDouble pricePerKwh) {
    OptionalDouble kwh = of(new EnergyRegister(EnergyDirection.IMPORT, EnergyRegister.TOTAL)).kwh();
    if (pricePerKwh.isEmpty() || kwh.isEmpty()) return OptionalDouble.empty();
    return OptionalDouble.of(kwh.getAsDouble() * pricePerKwh.getAsDouble());
  }

  /** Why this row is incomplete, the first reason per distinct cause; empty when complete. */
  public String missing() {
    return energy.values().stream()
        .map(PeriodEnergy::missing)
        .filter(java.util.Objects::nonNull)
        .distinct()
        .sorted()
        .collect(java.util.stream.Collectors.joining("; "));
  }
}
