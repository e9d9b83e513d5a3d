package dev.wagoexporter.cli;

import dev.wagoexporter.report.EnergyReport;
import dev.wagoexporter.report.EnergyReportReader;
import dev.wagoexporter.report.PeriodUnit;
import dev.wagoexporter.report.PrometheusClient;
import dev.wagoexporter.report.ReportFormat;
import dev.wagoexporter.report.ReportFormatter;
import dev.wagoexporter.report.ReportRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wago-exporter report}: energy per calendar day or month, read from Prometheus. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Energy imported and exported per calendar day or month, per phase and in total, from the",
      "exporter's counters in Prometheus: the register reading at the end of each period minus the",
      "one at its start (local midnights, so DST days have 23 or 25 hours), with counter resets",
      "handled. A period without a reading within 15 minutes before a boundary is marked missing."
    })
public final class ReportCommand implements Callable<Integer> {
  private static final int BAD_INPUT = 2;
  private static final int PROMETHEUS_FAILED = 1;

  @Spec CommandSpec spec;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      defaultValue = "${env:WAGO_PROMETHEUS:-http://localhost:9090}",
      description = "Prometheus base URL (env WAGO_PROMETHEUS; default ${DEFAULT-VALUE})")
  String prometheus;

  @Option(
      names = "--meter",
      paramLabel = "NAME",
      defaultValue = "${env:WAGO_REPORT_METER}",
      description =
          "meter label; may be left out when Prometheus has one meter (env WAGO_REPORT_METER)")
  String meter;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DATE",
      description = "first day, YYYY-MM-DD")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DATE",
      description = "last day (included), YYYY-MM-DD")
  String to;

  @Option(
      names = "--period",
      paramLabel = "day|month",
      defaultValue = "day",
      description = "one row per calendar day or month (default ${DEFAULT-VALUE})")
  String period;

  @Option(
      names = "--format",
      paramLabel = "table|csv|json",
      defaultValue = "table",
      description = "output format (default ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      defaultValue = "${env:WAGO_REPORT_TZ}",
      description =
          "time zone of the calendar, e.g. Europe/Vienna (env WAGO_REPORT_TZ; default: this machine's)")
  String tz;

  @Option(
      names = "--price",
      paramLabel = "PER_KWH",
      defaultValue = "${env:WAGO_PRICE}",
      description = "price per kWh imported; adds a cost column (env WAGO_PRICE)")
  String price;

  private final Clock clock;

  public ReportCommand() {
    this(Clock.systemUTC());
  }

  ReportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReportRequest request;
    ReportFormat outputFormat;
    URI uri;
    try {
      LocalDate fromDate = date("--from", from);
      LocalDate toDate = date("--to", to);
      if (fromDate.isAfter(toDate)) {
        throw new IllegalArgumentException(
            "--from "
                + fromDate
                + " is after --to "
                + toDate
                + "; --to is the last day included, so give a date on or after --from");
      }
      request =
          new ReportRequest(
              Optional.ofNullable(meter).filter(m -> !m.isBlank()),
              fromDate,
              toDate,
              choice("--period", period, PeriodUnit.class),
              zone(),
              price());
      outputFormat = choice("--format", format, ReportFormat.class);
      uri = prometheusUri();
    } catch (IllegalArgumentException e) {
      err.println("report: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
    try {
      PrometheusClient client = new PrometheusClient(uri, Duration.ofSeconds(30));
      EnergyReport report = new EnergyReportReader(client, clock).read(request);
      out.print(ReportFormatter.of(outputFormat).format(report));
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("report: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    } catch (IOException e) {
      err.println("report: " + e.getMessage());
      err.flush();
      return PROMETHEUS_FAILED;
    }
  }

  private static LocalDate date(String option, String text) {
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + " '" + text + "' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-29");
    }
  }

  private static <E extends Enum<E>> E choice(String option, String text, Class<E> type) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(text.trim())) return value;
    }
    StringBuilder allowed = new StringBuilder();
    for (E value : type.getEnumConstants()) {
      if (allowed.length() > 0) allowed.append(", ");
      allowed.append(value.name().toLowerCase(java.util.Locale.ROOT));
    }
    throw new IllegalArgumentException(option + " '" + text + "' is not one of " + allowed);
  }

  private ZoneId zone() {
    if (tz == null || tz.isBlank()) return ZoneId.systemDefault();
    try {
      return ZoneId.of(tz.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--tz '" + tz + "' is not a time zone; use a region name such as Europe/Vienna");
    }
  }

  private OptionalDouble price() {
    if (price == null || price.isBlank()) return OptionalDouble.empty();
    try {
      double value = Double.parseDouble(price.trim());
      if (value < 0 || !Double.isFinite(value)) throw new NumberFormatException();
      return OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--price '" + price + "' is not a price per kWh; write it like 0.32");
    }
  }

  private URI prometheusUri() {
    try {
      URI uri = URI.create(prometheus.trim());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--prometheus '"
              + prometheus
              + "' is not an http(s) URL; write it like http://localhost:9090");
    }
  }
}
