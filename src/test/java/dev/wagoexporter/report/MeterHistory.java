package dev.wagoexporter.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Known counter history of one meter drawing constant power per phase, as the exporter would have
 * served it: every counter is power × time since the start, so the energy of any stretch is power ×
 * its length and a test can state it without looking at the report. Optionally the meter is
 * replaced (all counters restart at a lower factory reading) and stretches are missing.
 */
public final class MeterHistory {
  /** Constant draw of one phase, in watts. */
  public record Phase(String name, long importWatts, long exportWatts) {}

  /** Samples with {@code from < time < to} are not stored, as if the exporter was down. */
  public record Gap(Instant from, Instant to) {}

  private static final long OLD_METER_BASE_JOULES = 9_000_000_000L; // 2,500 kWh on the old meter
  private static final long NEW_METER_BASE_JOULES = 1_800_000_000L; // 500 kWh factory reading

  private final String meter;
  private final List<Phase> phases;
  private final Duration interval;
  private final List<Instant[]> stretches = new ArrayList<>();
  private final List<Gap> gaps = new ArrayList<>();
  private Instant replacedAt;

  public MeterHistory(String meter, List<Phase> phases, Duration interval) {
    this.meter = meter;
    this.phases = List.copyOf(phases);
    this.interval = interval;
  }

  /** Samples every interval from {@code from} to {@code to}, both included. */
  public MeterHistory stretch(Instant from, Instant to) {
    stretches.add(new Instant[] {from, to});
    return this;
  }

  public MeterHistory gap(Instant from, Instant to) {
    gaps.add(new Gap(from, to));
    return this;
  }

  /** The new meter's first sample is at exactly this instant. */
  public MeterHistory replacedAt(Instant when) {
    replacedAt = when;
    return this;
  }

  public Duration interval() {
    return interval;
  }

  private long counter(long watts, Instant t, Instant origin) {
    if (replacedAt != null && !t.isBefore(replacedAt)) {
      return NEW_METER_BASE_JOULES + watts * Duration.between(replacedAt, t).toSeconds();
    }
    return OLD_METER_BASE_JOULES + watts * Duration.between(origin, t).toSeconds();
  }

  private boolean stored(Instant t) {
    return gaps.stream().noneMatch(g -> t.isAfter(g.from()) && t.isBefore(g.to()));
  }

  /**
   * One OpenMetrics text per stretch, each for one promtool run: promtool 2.x walks every 2-hour
   * block between its input's first and last sample, so one file spanning months costs minutes.
   */
  public List<String> openMetricsPerStretch() {
    Instant origin = stretches.stream().map(s -> s[0]).min(Instant::compareTo).orElseThrow();
    List<String> texts = new ArrayList<>();
    for (Instant[] stretch : stretches) texts.add(openMetrics(origin, stretch));
    return texts;
  }

  private String openMetrics(Instant origin, Instant[] stretch) {
    StringBuilder out = new StringBuilder();
    for (String direction : List.of("import", "export")) {
      String family = "wago_active_energy_" + direction + "_joules";
      out.append("# TYPE ").append(family).append(" counter\n");
      for (Phase phase : phases) {
        long watts = direction.equals("import") ? phase.importWatts() : phase.exportWatts();
        series(
            out,
            family + "_total{meter=\"" + meter + "\",phase=\"" + phase.name() + "\"}",
            watts,
            origin,
            stretch);
      }
      String system = "wago_system_active_energy_" + direction + "_joules";
      long total =
          phases.stream()
              .mapToLong(p -> direction.equals("import") ? p.importWatts() : p.exportWatts())
              .sum();
      out.append("# TYPE ").append(system).append(" counter\n");
      series(out, system + "_total{meter=\"" + meter + "\"}", total, origin, stretch);
    }
    return out.append("# EOF\n").toString();
  }

  private void series(
      StringBuilder out, String name, long watts, Instant origin, Instant[] stretch) {
    for (Instant t = stretch[0]; !t.isAfter(stretch[1]); t = t.plus(interval)) {
      if (!stored(t)) continue;
      out.append(name)
          .append(' ')
          .append(counter(watts, t, origin))
          .append(' ')
          .append(BigDecimal.valueOf(t.getEpochSecond()).toPlainString())
          .append('\n');
    }
  }
}
