package dev.wagoexporter.report;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One period of a report with the energy of every register.
 *
 * @param from for a period not over yet that had no reading at its start (the exporter's first day
 *     or month): the time of the first reading its energy runs from
 * @param until for a period that is not over yet (today, this month): the time of the last reading
 *     its energy runs to
 * @param averages per {@code --average} column, its series' samples in the period
 * @param degreeDays heating degree days of the period, when an outdoor temperature is given
 * @param source whether the readings came from the counters, the old exporter's gauges, or both
 */
public record PeriodRow(
    ReportPeriod period,
    Map<EnergyRegister, PeriodEnergy> energy,
    @Nullable ZonedDateTime from,
    @Nullable ZonedDateTime until,
    Map<String, SeriesStats> averages,
    OptionalDouble degreeDays,
    ReadingSource source) {
  public PeriodRow {
    energy = Map.copyOf(energy);
    averages = Map.copyOf(averages);
  }

  public PeriodRow(ReportPeriod period, Map<EnergyRegister, PeriodEnergy> energy) {
    this(period, energy, null, null, Map.of(), OptionalDouble.empty(), ReadingSource.NONE);
  }

  public SeriesStats average(String name) {
    return averages.getOrDefault(name, SeriesStats.NONE);
  }

  /** Imported energy (the meter's total register) per heating degree day. */
  public OptionalDouble kwhPerDegreeDay() {
    return kwhPerDegreeDay(EnergyDirection.IMPORT);
  }

  /** The meter's total register of {@code direction} per heating degree day. */
  public OptionalDouble kwhPerDegreeDay(EnergyDirection direction) {
    OptionalDouble kwh = of(new EnergyRegister(direction, EnergyRegister.TOTAL)).kwh();
    if (kwh.isEmpty() || degreeDays.isEmpty() || degreeDays.getAsDouble() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(kwh.getAsDouble() / degreeDays.getAsDouble());
  }

  /** The period is still running: its energy is "so far", up to {@link #until()}. */
  public boolean partial() {
    return until != null;
  }

  public PeriodEnergy of(EnergyRegister register) {
    PeriodEnergy e = energy.get(register);
    return e != null ? e : PeriodEnergy.unknown("no series " + register.metric());
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

  /**
   * Why this row is incomplete: each reason once, with the registers it concerns, e.g. {@code no
   * reading at start 2026-10-27T00:00+01:00 (wago_active_energy_import_joules_total L1, ...)};
   * empty when complete.
   */
  public String missing() {
    Map<String, List<String>> registersByReason = new TreeMap<>();
    for (Map.Entry<EnergyRegister, PeriodEnergy> e : energy.entrySet()) {
      if (e.getValue().missing() != null) {
        registersByReason
            .computeIfAbsent(e.getValue().missing(), k -> new ArrayList<>())
            .add(name(e.getKey()));
      }
    }
    return registersByReason.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " ("
                    + (e.getValue().size() == energy.size()
                        ? "every register"
                        : e.getValue().stream().sorted().collect(Collectors.joining(", ")))
                    + ")")
        .collect(Collectors.joining("; "));
  }

  private static String name(EnergyRegister register) {
    return register.isTotal()
        ? register.metric()
        : register.metric() + "{phase=" + register.phase() + "}";
  }
}
