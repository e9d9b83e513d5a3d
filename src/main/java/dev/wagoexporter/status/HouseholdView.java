package dev.wagoexporter.status;

import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.poll.MeterSnapshot;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.report.PeriodEnergy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What the status page shows a household beyond the live values (docs/status-page.md): energy and
 * cost today from the exporter's own readings, yesterday and this month from Prometheus when it is
 * configured, the last hours of power from memory, and the page's settings (fuse rating, Grafana
 * link). Keeps its memory by listening to every meter's successful polls.
 */
public final class HouseholdView implements AutoCloseable {
  static final String POWER = "wago_system_active_power_watts";
  static final String IMPORT = "wago_system_active_energy_import_joules_total";
  static final String EXPORT = "wago_system_active_energy_export_joules_total";

  /** The page's settings, as the API tells them. */
  record Settings(
      @Nullable String grafanaUrl,
      @Nullable Double fuseAmps,
      @Nullable Double pricePerKwh,
      String timeZone,
      boolean prometheus,
      double refreshSeconds) {}

  /** Today so far from the exporter's own readings. */
  record TodayView(
      String state,
      @Nullable Double importKwh,
      @Nullable Double exportKwh,
      @Nullable Double cost,
      @Nullable String since,
      @Nullable String until,
      boolean sinceMidnight,
      @Nullable String missing) {}

  /** The three periods of one meter; {@code today} is none for a meter the view does not know. */
  record Energy(
      @Nullable TodayView today, PastEnergy.Period yesterday, PastEnergy.Period thisMonth) {}

  /** The chart's points: {@code [epoch seconds, watts]} pairs, oldest first. */
  record History(double slotSeconds, double windowSeconds, List<double[]> points) {}

  private final StatusConfig config;
  private final ZoneId zone;
  private final Map<String, Memory> memories = new LinkedHashMap<>();

  /** None without a Prometheus to ask. */
  private final @Nullable PastEnergy past;

  private final double refreshSeconds;

  /** One meter's memory. */
  private record Memory(PowerHistory power, EnergyToday today) {}

  public HouseholdView(StatusConfig config, List<MeterState> meters, Clock clock) {
    this.config = config;
    this.zone = config.zoneOrDefault();
    this.past =
        config.prometheusUrl() == null
            ? null
            : new PastEnergy(config.prometheusUrl(), zone, price(), clock);
    double shortest = Double.MAX_VALUE;
    for (MeterState meter : meters) {
      shortest = Math.min(shortest, meter.pollInterval().toMillis() / 1000.0);
      Memory memory =
          new Memory(
              new PowerHistory(meter.pollInterval()),
              new EnergyToday(zone, meter.maxSnapshotAge()));
      memories.put(meter.name(), memory);
      int power = index(meter.profile(), POWER);
      int imported = index(meter.profile(), IMPORT);
      int exported = index(meter.profile(), EXPORT);
      meter.onReading(s -> remember(memory, s, power, imported, exported));
    }
    this.refreshSeconds = meters.isEmpty() ? 30 : shortest;
  }

  /** Nothing configured: what tests and the plain HTTP server without a config use. */
  public static HouseholdView without(List<MeterState> meters) {
    return new HouseholdView(StatusConfig.NONE, meters, Clock.systemUTC());
  }

  private static void remember(
      Memory memory, MeterSnapshot snapshot, int power, int imported, int exported) {
    if (power >= 0) {
      memory.power().add(snapshot.takenAt(), snapshot.value(power));
    }
    if (imported >= 0 || exported >= 0) {
      memory
          .today()
          .add(
              snapshot.takenAt(),
              imported >= 0 ? snapshot.value(imported) : Double.NaN,
              exported >= 0 ? snapshot.value(exported) : Double.NaN);
    }
  }

  /** The point index of a metric without labels in the profile, or -1 if it has none. */
  private static int index(Profile profile, String metric) {
    for (MetricDefinition m : profile.served(false)) {
      if (m.name().equals(metric)) {
        for (RegisterPoint p : m.points()) {
          if (p.labels().isEmpty()) {
            return p.index();
          }
        }
      }
    }
    return -1;
  }

  private OptionalDouble price() {
    return config.pricePerKwh() == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(config.pricePerKwh());
  }

  Settings settings() {
    return new Settings(
        config.grafanaUrl() == null ? null : config.grafanaUrl().toString(),
        config.fuseAmps(),
        config.pricePerKwh(),
        zone.getId(),
        past != null,
        refreshSeconds);
  }

  Energy energy(String meter, Instant now) {
    Memory memory = memories.get(meter);
    TodayView today = memory == null ? null : today(memory.today().today(now));
    PastEnergy.Period yesterday;
    PastEnergy.Period thisMonth;
    if (past == null) {
      String why =
          "no Prometheus configured: set --status.prometheus-url (env WAGO_STATUS_PROMETHEUS_URL)";
      yesterday = PastEnergy.Period.unavailable(why);
      thisMonth = PastEnergy.Period.unavailable(why);
    } else {
      PastEnergy.Past known = past.of(meter);
      yesterday = known.yesterday();
      thisMonth = known.thisMonth();
    }
    return new Energy(today, yesterday, thisMonth);
  }

  private TodayView today(EnergyToday.@Nullable Today today) {
    if (today == null) {
      return new TodayView(
          "unavailable", null, null, null, null, null, false, "no reading of the meter today yet");
    }
    double importKwh = today.importJoules() / PeriodEnergy.JOULES_PER_KWH;
    return new TodayView(
        "ok",
        importKwh,
        today.exportJoules() / PeriodEnergy.JOULES_PER_KWH,
        config.pricePerKwh() == null ? null : importKwh * config.pricePerKwh(),
        today.since().atZone(zone).toOffsetDateTime().toString(),
        today.until().atZone(zone).toOffsetDateTime().toString(),
        today.sinceMidnight(),
        null);
  }

  History history(String meter) {
    Memory memory = memories.get(meter);
    List<double[]> points = new ArrayList<>();
    if (memory == null) {
      return new History(0, PowerHistory.WINDOW.toSeconds(), points);
    }
    for (PowerHistory.Point p : memory.power().points()) {
      points.add(new double[] {p.time(), Math.round(p.watts() * 10) / 10.0});
    }
    Duration slot = memory.power().slot();
    return new History(slot.toSeconds(), PowerHistory.WINDOW.toSeconds(), points);
  }

  @Override
  public void close() {
    if (past != null) {
      past.close();
    }
  }
}
