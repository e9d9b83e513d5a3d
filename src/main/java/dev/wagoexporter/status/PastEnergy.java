package dev.wagoexporter.status;

import dev.wagoexporter.report.EnergyDirection;
import dev.wagoexporter.report.EnergyRegister;
import dev.wagoexporter.report.EnergyReportReader;
import dev.wagoexporter.report.PeriodRow;
import dev.wagoexporter.report.PeriodUnit;
import dev.wagoexporter.report.PrometheusClient;
import dev.wagoexporter.report.ReportRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Yesterday and this month of each meter, read from Prometheus by {@code report}'s own reader (the
 * same register differences, calendar and partial month), for the status page. The page never waits
 * for it: {@link #of} answers from memory at once and, when that is missing or older than {@link
 * #REFRESH} (or of another day), asks one background thread to read it again. One read of both
 * periods is bounded by {@link #BUDGET}, answers included, and by the report client's body limit; a
 * failure is shown as "unavailable" with its reason and tried again after {@link #RETRY}.
 */
public final class PastEnergy implements AutoCloseable {
  static final Duration BUDGET = Duration.ofSeconds(10);
  static final Duration REFRESH = Duration.ofMinutes(5);
  static final Duration RETRY = Duration.ofMinutes(1);

  /** One period as the page shows it; no kWh: not known, with the reason in {@code missing}. */
  public record Period(
      String state,
      @Nullable String label,
      @Nullable Double importKwh,
      @Nullable Double exportKwh,
      @Nullable Double cost,
      @Nullable String from,
      @Nullable String until,
      boolean partial,
      @Nullable String missing) {
    static Period unavailable(String why) {
      return new Period("unavailable", null, null, null, null, null, null, false, why);
    }

    static Period pending() {
      return new Period(
          "pending", null, null, null, null, null, null, false, "asking Prometheus...");
    }
  }

  /** Both periods, and when and for which day they were read. */
  public record Past(Period yesterday, Period thisMonth, LocalDate day, Instant readAt) {}

  private final URI prometheus;
  private final ZoneId zone;
  private final OptionalDouble price;
  private final Clock clock;
  private final Map<String, Past> cache = new ConcurrentHashMap<>();
  private final Map<String, Boolean> reading = new ConcurrentHashMap<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "status-prometheus");
            t.setDaemon(true);
            return t;
          });

  public PastEnergy(URI prometheus, ZoneId zone, OptionalDouble price, Clock clock) {
    this.prometheus = prometheus;
    this.zone = zone;
    this.price = price;
    this.clock = clock;
  }

  /** What is known of {@code meter} now; starts a read in the background when that is stale. */
  public Past of(String meter) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    Past known = cache.get(meter);
    boolean failed =
        known != null
            && ("unavailable".equals(known.yesterday().state())
                || "unavailable".equals(known.thisMonth().state()));
    if (known == null
        || !known.day().equals(today)
        || known.readAt().plus(failed ? RETRY : REFRESH).isBefore(now)) {
      readInBackground(meter);
    }
    if (known == null) {
      return new Past(Period.pending(), Period.pending(), today, now);
    }
    return known;
  }

  private void readInBackground(String meter) {
    if (reading.putIfAbsent(meter, Boolean.TRUE) != null) {
      return;
    }
    try {
      worker.execute(
          () -> {
            try {
              cache.put(meter, read(meter));
            } finally {
              reading.remove(meter);
            }
          });
    } catch (RejectedExecutionException e) {
      reading.remove(meter); // closed: the exporter is stopping
    }
  }

  /** Reads both periods now, in the calling thread, within {@link #BUDGET}. */
  Past read(String meter) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    PrometheusClient client = new PrometheusClient(prometheus, BUDGET);
    EnergyReportReader reader = new EnergyReportReader(client, clock);
    Period yesterday =
        period(reader, meter, today.minusDays(1), today.minusDays(1), PeriodUnit.DAY);
    Period thisMonth = period(reader, meter, today.withDayOfMonth(1), today, PeriodUnit.MONTH);
    return new Past(yesterday, thisMonth, today, now);
  }

  private Period period(
      EnergyReportReader reader, String meter, LocalDate from, LocalDate to, PeriodUnit unit) {
    try {
      var report = reader.read(new ReportRequest(Optional.of(meter), from, to, unit, zone, price));
      return shown(report.rows().get(0));
    } catch (IOException | IllegalArgumentException e) {
      return Period.unavailable(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    } catch (RuntimeException e) {
      // a bug must not stop the page; it shows as the reason
      return Period.unavailable("reading Prometheus failed: " + e);
    }
  }

  private Period shown(PeriodRow row) {
    OptionalDouble imported = row.of(register(EnergyDirection.IMPORT)).kwh();
    OptionalDouble exported = row.of(register(EnergyDirection.EXPORT)).kwh();
    if (imported.isEmpty()) {
      return Period.unavailable(row.missing());
    }
    OptionalDouble cost = row.cost(price);
    return new Period(
        "ok",
        row.period().label(),
        imported.getAsDouble(),
        exported.isPresent() ? exported.getAsDouble() : null,
        cost.isPresent() ? cost.getAsDouble() : null,
        row.period().start().toOffsetDateTime().toString(),
        row.period().end().toOffsetDateTime().toString(),
        row.partial(),
        row.complete() ? null : row.missing());
  }

  private static EnergyRegister register(EnergyDirection direction) {
    return new EnergyRegister(direction, EnergyRegister.TOTAL);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
