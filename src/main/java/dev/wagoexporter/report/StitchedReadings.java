package dev.wagoexporter.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One reading per grid instant and register from two sources: the old exporter's gauges (in joules)
 * before the switch, the exporter's counters from it on. The switch is the first grid instant with
 * any counter reading of the meter; from there on the counters win and legacy readings are not
 * used, even where a counter reading is missing (a held legacy value there would be older than it
 * looks and could read lower than the counter before it: a false reset that counts energy twice).
 *
 * <p>Both sources read the same registers in the same unit, so a register difference across the
 * switch (a legacy reading at the start, a counter reading at the end) is exact and counts every
 * joule once: there is no overlap to subtract, the two are one register.
 */
public final class StitchedReadings {
  private final Map<EnergyRegister, NavigableMap<Instant, Double>> readings;
  private final @Nullable Instant switchAt;

  private StitchedReadings(
      Map<EnergyRegister, NavigableMap<Instant, Double>> readings, @Nullable Instant switchAt) {
    this.readings = readings;
    this.switchAt = switchAt;
  }

  /**
   * The readings of both sources, stitched at the first counter reading.
   *
   * @param counters per register the counter readings on the grid
   * @param legacy per register the legacy readings on the grid, in joules, restart zeros and all
   */
  public static StitchedReadings of(
      Map<EnergyRegister, NavigableMap<Instant, Double>> counters,
      Map<EnergyRegister, NavigableMap<Instant, Double>> legacy) {
    Instant switchAt = null;
    for (NavigableMap<Instant, Double> series : counters.values()) {
      if (!series.isEmpty() && (switchAt == null || series.firstKey().isBefore(switchAt))) {
        switchAt = series.firstKey();
      }
    }
    Map<EnergyRegister, NavigableMap<Instant, Double>> all = new HashMap<>();
    counters.forEach((register, series) -> all.put(register, new TreeMap<>(series)));
    for (Map.Entry<EnergyRegister, NavigableMap<Instant, Double>> e : legacy.entrySet()) {
      NavigableMap<Instant, Double> before =
          switchAt == null ? e.getValue() : e.getValue().headMap(switchAt, false);
      NavigableMap<Instant, Double> kept = LegacyGauges.withoutRestartZeros(before);
      if (kept.isEmpty()) continue;
      all.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).putAll(kept);
    }
    return new StitchedReadings(all, switchAt);
  }

  public Map<EnergyRegister, NavigableMap<Instant, Double>> readings() {
    return readings;
  }

  /** The first counter reading; none when the range has legacy readings only (or none). */
  @Nullable Instant switchAt() {
    return switchAt;
  }

  private boolean legacy(Instant t) {
    return switchAt == null || t.isBefore(switchAt);
  }

  /** Where the readings from {@code start} to {@code end} (both included) came from. */
  public ReadingSource source(Instant start, Instant end) {
    boolean legacy = false;
    boolean counters = false;
    for (NavigableMap<Instant, Double> series : readings.values()) {
      for (Instant t : series.subMap(start, true, end, true).keySet()) {
        if (legacy(t)) legacy = true;
        else counters = true;
      }
    }
    return ReadingSource.of(legacy, counters);
  }

  /**
   * Raw samples around a drop from the source that gave the readings there: the legacy gauges
   * before the switch (without restart zeros), the counters from it on; both in joules.
   */
  public RawSampleSource raw(RawSampleSource counters, RawSampleSource legacy) {
    return (register, after, upTo) -> {
      List<Sample> samples = new ArrayList<>();
      if (legacy(after)) {
        List<Sample> old = new ArrayList<>();
        for (Sample s : legacy.samples(register, after, upTo)) {
          if (legacy(s.time())) old.add(s);
        }
        Double before = readings.getOrDefault(register, new TreeMap<>()).get(after);
        samples.addAll(LegacyGauges.withoutRestartZeros(old, before == null ? 0 : before));
      }
      if (!legacy(upTo)) {
        for (Sample s : counters.samples(register, after, upTo)) {
          if (!legacy(s.time())) samples.add(s);
        }
      }
      return samples;
    };
  }
}
