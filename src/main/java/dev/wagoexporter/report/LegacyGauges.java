package dev.wagoexporter.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The old Python exporter's energy gauges, in kWh and without a {@code meter} label, which hold a
 * site's history from before the switch (docs/operations.md, "History from the old exporter"). They
 * read the meter's combined registers, so they continue the {@code *_combined_*} counters: {@code
 * wago_energy_total_kwh} is 0x6000 (the system register), {@code wago_energy_L1_kwh} … {@code _L3_}
 * are 0x6006–0x600A. The exporter serves the same names with {@code --legacy-metrics}, then with
 * its {@code meter} label.
 */
public final class LegacyGauges {
  public static final String TOTAL = "wago_energy_total_kwh";
  private static final Map<String, String> PHASES =
      Map.of(
          "wago_energy_L1_kwh", "L1",
          "wago_energy_L2_kwh", "L2",
          "wago_energy_L3_kwh", "L3");

  private LegacyGauges() {}

  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of(TOTAL));
    names.addAll(new java.util.TreeSet<>(PHASES.keySet()));
    return names;
  }

  /** The register a legacy gauge read; none when {@code name} is none of them. */
  public static @Nullable EnergyRegister register(@Nullable String name) {
    if (name == null) return null;
    if (TOTAL.equals(name))
      return new EnergyRegister(EnergyDirection.COMBINED, EnergyRegister.TOTAL);
    String phase = PHASES.get(name);
    return phase == null ? null : new EnergyRegister(EnergyDirection.COMBINED, phase);
  }

  /** A gauge's kWh as the joules the counters count (the same register, the same factor). */
  public static double joules(double kwh) {
    return kwh * PeriodEnergy.JOULES_PER_KWH;
  }

  /**
   * The readings without the zeros the old exporter showed after a restart, before its first
   * successful read (its gauges start at 0). A 0 after a higher reading is left out unless the next
   * reading that is not 0 is lower than the one before the 0: then the meter itself was reset to 0
   * and counts on from there, a reset like any other. A 0 that is the last word (nothing follows
   * it) is left out too: it is not known to be a reading. Counting a dip to 0 as a reset would
   * count the whole register again when the reads come back.
   */
  public static NavigableMap<java.time.Instant, Double> withoutRestartZeros(
      NavigableMap<java.time.Instant, Double> readings) {
    NavigableMap<java.time.Instant, Double> kept = new TreeMap<>();
    Double before = null;
    for (Map.Entry<java.time.Instant, Double> e : readings.entrySet()) {
      double value = e.getValue();
      if (value == 0
          && before != null
          && before > 0
          && !resetToZero(readings, e.getKey(), before)) {
        continue;
      }
      kept.put(e.getKey(), value);
      before = value;
    }
    return kept;
  }

  private static boolean resetToZero(
      NavigableMap<java.time.Instant, Double> readings, java.time.Instant zero, double before) {
    for (double later : readings.tailMap(zero, false).values()) {
      if (later != 0) return later < before;
    }
    return false;
  }

  /** {@link #withoutRestartZeros} for raw samples, oldest first. */
  public static List<Sample> withoutRestartZeros(List<Sample> samples, double before) {
    NavigableMap<java.time.Instant, Double> readings = new TreeMap<>();
    java.time.Instant start = samples.isEmpty() ? null : samples.get(0).time().minusMillis(1);
    if (start != null) readings.put(start, before);
    for (Sample s : samples) readings.put(s.time(), s.value());
    List<Sample> kept = new ArrayList<>();
    for (Map.Entry<java.time.Instant, Double> e : withoutRestartZeros(readings).entrySet()) {
      if (!e.getKey().equals(start)) kept.add(new Sample(e.getKey(), e.getValue()));
    }
    return kept;
  }
}
