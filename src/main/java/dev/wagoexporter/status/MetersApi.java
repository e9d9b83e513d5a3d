package dev.wagoexporter.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.poll.MeterSnapshot;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.MeterStatus;
import dev.wagoexporter.poll.PollError;
import dev.wagoexporter.poll.ReadPlanHealth;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.proxy.ProxyView;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/meters}: each meter's health, identity, last error with its hint, and its current
 * values, for the status page and for scripts. Values follow the rule of {@code /metrics}: from the
 * last successful poll while it is fresh, else absent (never repeated); a refused value (NaN) is
 * absent too. Units are those of {@code /metrics} (base units: W, V, A, J). No server types here,
 * so any HTTP layer can serve it. Fields: docs/status-page.md.
 */
public final class MetersApi {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.ALWAYS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private MetersApi() {}

  /** The document served now, without the household's part. */
  public static byte[] json(List<MeterState> meters, TimeSource time) {
    return json(meters, null, List.of(), time);
  }

  /**
   * The document served now, UTF-8: ages and freshness on {@code time}'s monotonic clock, the
   * timestamps people read (and today's energy) on its wall clock.
   *
   * @param household energy, history and the page's settings; without it they are left out
   * @param proxies the lines' Modbus proxies; none leaves {@code proxies} null
   */
  public static byte[] json(
      List<MeterState> meters,
      @Nullable HouseholdView household,
      List<ProxyView> proxies,
      TimeSource time) {
    Instant generated = time.now();
    long nowNanos = time.nanoTime();
    List<MeterView> statuses = new ArrayList<>(meters.size());
    for (MeterState meter : meters) {
      statuses.add(status(meter, household, nowNanos, generated));
    }
    try {
      return JSON.writeValueAsBytes(
          new Document(
              generated.toString(),
              household == null ? null : household.settings(),
              statuses,
              proxies.isEmpty() ? null : proxies));
    } catch (JsonProcessingException e) {
      // only plain records, strings and numbers: cannot happen
      throw new IllegalStateException("cannot encode the meters as JSON", e);
    }
  }

  /** Reads the meter's status once, so values, state and counters are of one moment. */
  static MeterView status(MeterState meter, long nowNanos) {
    return status(meter, null, nowNanos, null);
  }

  static MeterView status(
      MeterState meter, @Nullable HouseholdView household, long nowNanos, @Nullable Instant now) {
    MeterStatus status = meter.status();
    Instant last = status.lastSuccess();
    Duration age = status.sinceLastSuccess(nowNanos);
    MeterIdentity id = status.identity();
    return new MeterView(
        meter.name(),
        meter.gateway(),
        meter.unitId(),
        meter.profile().name(),
        status.up(),
        seconds(meter.pollInterval()),
        last == null ? null : last.toString(),
        age == null ? null : seconds(age),
        id == null ? null : new Identity(id.serial(), id.model(), id.firmware(), id.dataFormat()),
        values(meter, meter.freshSnapshot(status, nowNanos)),
        status.requests(),
        byLabel(status.errors()),
        status.readPlan(),
        lastError(status),
        household == null || now == null ? null : household.energy(meter.name(), now),
        household == null ? null : household.history(meter.name()));
  }

  private static Map<String, MetricValues> values(
      MeterState meter, @Nullable MeterSnapshot snapshot) {
    Map<String, MetricValues> values = new LinkedHashMap<>();
    if (snapshot == null) {
      return values;
    }
    for (MetricDefinition metric : meter.profile().served(false)) {
      List<Sample> samples = new ArrayList<>();
      for (RegisterPoint point : metric.points()) {
        double value = snapshot.value(point.index());
        if (!Double.isNaN(value)) {
          samples.add(new Sample(new TreeMap<>(point.labels()), value));
        }
      }
      if (!samples.isEmpty()) {
        values.put(
            metric.name(),
            new MetricValues(
                metric.unit(), metric.kind().name().toLowerCase(Locale.ROOT), samples));
      }
    }
    return values;
  }

  /** The counters under their {@code wago_modbus_errors_total} reason labels, in the same order. */
  private static Map<String, Long> byLabel(Map<FaultReason, Long> errors) {
    Map<String, Long> byLabel = new LinkedHashMap<>();
    errors.forEach((reason, count) -> byLabel.put(reason.label(), count));
    return byLabel;
  }

  private static @Nullable LastError lastError(MeterStatus status) {
    if (status.up()) {
      return null;
    }
    PollError failure = status.lastFailure();
    if (failure == null) {
      // the first poll has not ended yet: nothing failed, nothing to fix
      return new LastError(
          "not_polled_yet",
          null,
          status.lastError(),
          "the first poll has not finished yet: wait one poll interval");
    }
    return new LastError(
        failure.reason().label(),
        failure.exceptionCode() < 0 ? null : String.format("0x%02X", failure.exceptionCode()),
        failure.message(),
        failure.hint());
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  /**
   * @param page the status page's settings (Grafana link, fuse rating, price, time zone, whether
   *     Prometheus is configured, how often to refresh)
   */
  record Document(
      String generated,
      HouseholdView.@Nullable Settings page,
      List<MeterView> meters,
      @Nullable List<ProxyView> proxies) {}

  /** One meter as the API shows it. */
  record MeterView(
      String name,
      String gateway,
      int unitId,
      String profile,
      boolean up,
      double pollIntervalSeconds,
      @Nullable String lastSuccess,
      @Nullable Double lastSuccessAgeSeconds,
      @Nullable Identity identity,
      Map<String, MetricValues> values,
      long requests,
      Map<String, Long> errors,
      ReadPlanHealth readPlan,
      @Nullable LastError lastError,
      HouseholdView.@Nullable Energy energy,
      HouseholdView.@Nullable History powerHistory) {}

  record Identity(String serial, String model, String firmware, int dataFormat) {}

  record MetricValues(String unit, String kind, List<Sample> samples) {}

  record Sample(Map<String, String> labels, double value) {}

  record LastError(String reason, @Nullable String exceptionCode, String message, String hint) {}
}
