package dev.wagoexporter.metrics;

import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.poll.MeterSnapshot;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.MeterStatus;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.MetricKind;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.time.TimeSource;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds every metric family at scrape time from the meters' newest snapshots, as client_java's
 * collectors do: a value that should vanish (failed or stale poll) vanishes, and a scrape reads
 * each meter's status once, so all its values, its {@code wago_up} and its counters come from the
 * same moment. Never does Modbus I/O, and keeps nothing between scrapes: {@code /metrics} keeps the
 * encoded body for a {@link #version()}.
 */
public final class MeterCollector implements VersionedCollector {
  private final List<MeterState> meters;
  private final boolean legacy;

  /** The exporter's version for its build info; none on {@code /probe}, which has no build info. */
  private final @Nullable String version;

  private final TimeSource time;

  /** Values are fresh by {@code time}'s monotonic clock. */
  public MeterCollector(
      List<MeterState> meters, boolean legacy, @Nullable String version, TimeSource time) {
    this.meters = List.copyOf(meters);
    this.legacy = legacy;
    this.version = version;
    this.time = time;
  }

  /**
   * The metrics of one meter read by {@code /probe}: the same families and labels as on {@code
   * /metrics}, without the exporter's own build info, which stays on {@code /metrics} (the
   * multi-target convention).
   */
  public static MeterCollector forProbe(MeterState meter, boolean legacy, TimeSource time) {
    return new MeterCollector(List.of(meter), legacy, null, time);
  }

  /**
   * Each meter's status version (it counts the meter's changes) and whether its snapshot is still
   * fresh: the values change only with a poll, and vanish when the snapshot goes stale.
   */
  @Override
  public List<Object> version() {
    long now = time.nanoTime();
    List<Object> version = new ArrayList<>(2 * meters.size());
    for (MeterState meter : meters) {
      MeterStatus status = meter.status();
      version.add(status.version());
      version.add(meter.freshSnapshot(status, now) != null);
    }
    return version;
  }

  @Override
  public MetricSnapshots collect() {
    long now = time.nanoTime();
    List<MeterStatus> statuses = new ArrayList<>(meters.size());
    for (MeterState meter : meters) {
      statuses.add(meter.status());
    }
    return build(statuses, now);
  }

  /** Builds from the statuses taken once by {@link #collect}, the i-th for the i-th meter. */
  private MetricSnapshots build(List<MeterStatus> statuses, long now) {
    Map<String, Family> families = new LinkedHashMap<>();
    for (int i = 0; i < meters.size(); i++) {
      MeterState meter = meters.get(i);
      MeterSnapshot snapshot = meter.freshSnapshot(statuses.get(i), now);
      if (snapshot != null) {
        for (MetricDefinition metric : meter.profile().served(legacy)) {
          for (RegisterPoint point : metric.points()) {
            double value = snapshot.value(point.index());
            if (!Double.isNaN(value)) {
              families
                  .computeIfAbsent(
                      metric.name(),
                      n -> new Family(metric.baseName(), metric.fullHelp(), metric.kind()))
                  .add(labels(meter, point.labels()), value);
            }
          }
        }
      }
    }
    List<MetricSnapshot> result = new ArrayList<>();
    families.values().forEach(f -> result.add(f.build()));
    result.addAll(healthMetrics(statuses));
    return new MetricSnapshots(result);
  }

  private List<MetricSnapshot> healthMetrics(List<MeterStatus> statuses) {
    Family up =
        new Family(
            "wago_up", "1 if the last poll of this meter succeeded, else 0", MetricKind.GAUGE);
    Family lastSuccess =
        new Family(
            "wago_last_success_timestamp_seconds",
            "Unix time of the last successful poll of this meter",
            MetricKind.GAUGE);
    Family duration =
        new Family(
            "wago_poll_duration_seconds",
            "Duration of the last poll of this meter (identity, all read requests, checks)",
            MetricKind.GAUGE);
    Family requests =
        new Family(
            "wago_modbus_requests",
            "Modbus read requests attempted for this meter (function code 03/04 only: the exporter never writes)",
            MetricKind.COUNTER);
    Family errors =
        new Family(
            "wago_modbus_errors",
            "Failed requests and refused values of this meter by reason: timeout, connection, crc, exception, mismatch "
                + "(transport); implausible, counter_decrease, counter_jump, misconfigured (data quality)",
            MetricKind.COUNTER);
    Family leftOut =
        new Family(
            "wago_read_plan_left_out_registers",
            "Registers of the profile not read, because the meter refused them (exception 02/03);"
                + " tried again after 1, 2, 4 ... polls",
            MetricKind.GAUGE);
    Family extraRequests =
        new Family(
            "wago_read_plan_extra_requests",
            "Read requests per poll beyond the profile's plan, from ranges the meter refused whole"
                + " and that are read in parts; tried whole again after 1, 2, 4 ... polls",
            MetricKind.GAUGE);
    InfoSnapshot.Builder info =
        InfoSnapshot.builder()
            .name("wago_meter")
            .help(
                "Identity of the meter, read at connect: serial as printed on the meter, model, firmware");
    for (int i = 0; i < meters.size(); i++) {
      MeterState meter = meters.get(i);
      MeterStatus status = statuses.get(i);
      Labels meterLabel = Labels.of("meter", meter.name());
      up.add(meterLabel, status.up() ? 1 : 0);
      if (status.lastSuccess() != null) {
        lastSuccess.add(meterLabel, status.lastSuccess().toEpochMilli() / 1000.0);
      }
      if (status.lastPollDuration() != null) {
        duration.add(meterLabel, status.lastPollDuration().toNanos() / 1e9);
      }
      requests.add(meterLabel, (double) status.requests());
      leftOut.add(meterLabel, status.readPlan().leftOutRegisters());
      extraRequests.add(meterLabel, status.readPlan().extraRequests());
      status
          .errors()
          .forEach(
              (reason, count) ->
                  errors.add(Labels.of("meter", meter.name(), "reason", reason.label()), count));
      MeterIdentity id = status.identity();
      if (id != null) {
        info.dataPoint(
            InfoDataPointSnapshot.builder()
                .labels(
                    Labels.of(
                        "meter",
                        meter.name(),
                        "serial",
                        id.serial(),
                        "model",
                        id.model(),
                        "firmware",
                        id.firmware()))
                .build());
      }
    }
    List<MetricSnapshot> result =
        new ArrayList<>(
            List.of(
                up.build(),
                lastSuccess.build(),
                duration.build(),
                requests.build(),
                errors.build(),
                leftOut.build(),
                extraRequests.build()));
    InfoSnapshot meterInfo = info.build();
    if (!meterInfo.getDataPoints().isEmpty()) {
      result.add(meterInfo);
    }
    if (version != null) {
      result.add(
          InfoSnapshot.builder()
              .name("wago_exporter_build")
              .help("Version of the running wago-exporter")
              .dataPoint(
                  InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
              .build());
    }
    return result;
  }

  private static Labels labels(MeterState meter, Map<String, String> pointLabels) {
    Labels labels = Labels.of("meter", meter.name());
    for (Map.Entry<String, String> e : pointLabels.entrySet()) {
      labels = labels.add(e.getKey(), e.getValue());
    }
    return labels;
  }

  /** The samples of one metric family collected over all meters. */
  private static final class Family {
    private final String name;
    private final String help;
    private final MetricKind kind;
    private final List<Labels> labels = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    Family(String name, String help, MetricKind kind) {
      this.name = name;
      this.help = help;
      this.kind = kind;
    }

    void add(Labels l, double value) {
      labels.add(l);
      values.add(value);
    }

    MetricSnapshot build() {
      if (kind == MetricKind.COUNTER) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (int i = 0; i < labels.size(); i++) {
          b.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(labels.get(i))
                  .value(values.get(i))
                  .build());
        }
        return b.build();
      }
      GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
      for (int i = 0; i < labels.size(); i++) {
        b.dataPoint(
            GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
      }
      return b.build();
    }
  }
}
