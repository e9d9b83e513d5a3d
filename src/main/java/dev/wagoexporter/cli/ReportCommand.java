package dev.wagoexporter.cli;

import dev.wagoexporter.logging.Logging;
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
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wago-exporter report}: energy per calendar day or month, read from Prometheus. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Energy imported and exported per calendar day or month, per phase and in total, from"
            + " the exporter's counters in Prometheus: the register reading at the end of each"
            + " period minus the one at its start (local midnights, so DST days have 23 or 25"
            + " hours), with counter resets handled, and a total row. Days before the counters"
            + " come from the old exporter's wago_energy_*_kwh (source column). A period without a reading"
            + " within 15 minutes before a boundary is marked missing; today (this month) is shown"
            + " so far, from the first reading when there was none at its start, marked partial;"
            + " days after today are left out.")
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      defaultValue = "${env:WAGO_PROMETHEUS:-http://localhost:9090}",
      converter = Converters.PrometheusUrlConverter.class,
      description = "Prometheus base URL (env WAGO_PROMETHEUS; default ${DEFAULT-VALUE})")
  URI prometheus;

  @Option(
      names = "--meter",
      paramLabel = "NAME",
      defaultValue = "${env:WAGO_REPORT_METER}",
      description =
          "meter label; may be left out when Prometheus has one meter (env WAGO_REPORT_METER)")
  @Nullable String meter;

  @Option(
      names = "--from",
      paramLabel = "DATE",
      converter = Converters.DateConverter.class,
      description =
          "first day, YYYY-MM-DD (or one of --today, --yesterday, --this-month, --last-month)")
  @Nullable LocalDate from;

  @Option(
      names = "--to",
      paramLabel = "DATE",
      converter = Converters.DateConverter.class,
      description =
          "last day (included), YYYY-MM-DD; today gives today so far, later days are left out")
  @Nullable LocalDate to;

  @Option(names = "--today", description = "today so far (instead of --from/--to)")
  boolean today;

  @Option(names = "--yesterday", description = "yesterday (instead of --from/--to)")
  boolean yesterday;

  @Option(
      names = "--this-month",
      description = "this month so far, one row unless --period day (instead of --from/--to)")
  boolean thisMonth;

  @Option(
      names = "--last-month",
      description = "last month, one row unless --period day (instead of --from/--to)")
  boolean lastMonth;

  @Option(
      names = "--period",
      paramLabel = "day|month",
      converter = Converters.PeriodConverter.class,
      description =
          "one row per calendar day or month (default day; month for the month shortcuts)")
  @Nullable PeriodUnit period;

  @Option(
      names = "--format",
      paramLabel = "table|csv|json",
      defaultValue = "table",
      converter = Converters.FormatConverter.class,
      description = "output format (default ${DEFAULT-VALUE})")
  ReportFormat format;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      defaultValue = "${env:WAGO_REPORT_TZ}",
      converter = Converters.ZoneConverter.class,
      description =
          "time zone of the calendar, e.g. Europe/Vienna (env WAGO_REPORT_TZ; default: this"
              + " machine's)")
  @Nullable ZoneId tz;

  @Option(
      names = "--price",
      paramLabel = "PER_KWH",
      defaultValue = "${env:WAGO_PRICE}",
      converter = Converters.PriceConverter.class,
      description = "price per kWh imported; adds a cost column (env WAGO_PRICE)")
  @Nullable Double price;

  @Option(
      names = "--average",
      paramLabel = "NAME=SELECTOR",
      description =
          "a column with the average, minimum and maximum of another series per period, e.g."
              + " outdoor='sensor_temperature_celsius{sensor_name=\"temp_outdoor\"}'; the one"
              + " named outdoor also gives heating degree days (repeatable)")
  java.util.Map<String, String> averages = new java.util.LinkedHashMap<>();

  @Option(
      names = "--base-temperature",
      paramLabel = "CELSIUS",
      defaultValue = "15",
      converter = Converters.TemperatureConverter.class,
      description = "base temperature of the heating degree days (default ${DEFAULT-VALUE} °C)")
  double baseTemperature;

  @Option(
      names = "--legacy-match",
      paramLabel = "MATCHERS",
      description =
          "PromQL label matchers choosing the old exporter's wago_energy_*_kwh for the days"
              + " before the counters, e.g. 'instance=\"modbus_exporter:9100\"' (default: the"
              + " meter's own, or those of the same instance as its counters)")
  @Nullable String legacyMatch;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Converters.DurationConverter.class,
      description =
          "the most the whole report may wait for Prometheus, answers included (default"
              + " ${DEFAULT-VALUE})")
  Duration timeout;

  private final Clock clock;

  public ReportCommand() {
    this(Clock.systemUTC());
  }

  ReportCommand(Clock clock) {
    this.clock = clock;
  }

  /** Sets --from, --to and the period from the flags given, or says which combination is wrong. */
  private void chooseDays(LocalDate todayHere) {
    java.util.List<String> shortcuts = new java.util.ArrayList<>();
    if (today) shortcuts.add("--today");
    if (yesterday) shortcuts.add("--yesterday");
    if (thisMonth) shortcuts.add("--this-month");
    if (lastMonth) shortcuts.add("--last-month");
    if (shortcuts.size() > 1 || (shortcuts.size() == 1 && (from != null || to != null))) {
      throw new UsageError(
          "choose the days once: "
              + String.join(", ", shortcuts)
              + (from != null || to != null ? " with --from/--to" : "")
              + " contradict each other; give one shortcut, or --from and --to");
    }
    if (shortcuts.isEmpty()) {
      if (from == null || to == null) {
        throw new UsageError(
            "which days? give --from and --to (YYYY-MM-DD, both included), or one of --today,"
                + " --yesterday, --this-month, --last-month");
      }
      if (period == null) period = PeriodUnit.DAY;
      return;
    }
    LocalDate firstOfMonth = todayHere.withDayOfMonth(1);
    if (today) {
      from = todayHere;
      to = todayHere;
    } else if (yesterday) {
      from = todayHere.minusDays(1);
      to = from;
    } else if (thisMonth) {
      from = firstOfMonth;
      to = todayHere;
    } else {
      from = firstOfMonth.minusMonths(1);
      to = firstOfMonth.minusDays(1);
    }
    if (period == null) period = thisMonth || lastMonth ? PeriodUnit.MONTH : PeriodUnit.DAY;
  }

  @Override
  public Integer call() {
    Logging.quietUnlessChosen();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    averages.forEach(
        (name, selector) -> {
          if (!name.matches("[a-z][a-z0-9_]*") || selector.isBlank()) {
            throw new UsageError(
                "--average: '"
                    + name
                    + "="
                    + selector
                    + "' is not NAME=SELECTOR; write e.g."
                    + " outdoor='sensor_temperature_celsius{sensor_name=\"temp_outdoor\"}' (NAME in"
                    + " lower case letters, digits and _)");
          }
        });
    ZoneId zone = tz == null ? ZoneId.systemDefault() : tz;
    chooseDays(LocalDate.now(clock.withZone(zone)));
    // chooseDays sets all three or throws
    LocalDate from = Objects.requireNonNull(this.from);
    LocalDate to = Objects.requireNonNull(this.to);
    PeriodUnit period = Objects.requireNonNull(this.period);
    if (from.isAfter(to)) {
      throw new UsageError(
          "--from "
              + from
              + " is after --to "
              + to
              + "; --to is the last day included, so give a date on or after --from");
    }
    ReportRequest request =
        new ReportRequest(
            Optional.ofNullable(meter).filter(m -> !m.isBlank()),
            from,
            to,
            period,
            zone,
            price == null ? OptionalDouble.empty() : OptionalDouble.of(price),
            averages,
            baseTemperature,
            Optional.ofNullable(legacyMatch).filter(m -> !m.isBlank()));
    try {
      PrometheusClient client = new PrometheusClient(prometheus, timeout);
      EnergyReport report = new EnergyReportReader(client, clock).read(request);
      out.print(ReportFormatter.of(format).format(report));
      out.flush();
      return ExitCode.OK;
    } catch (IllegalArgumentException e) {
      throw new UsageError(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.PROBLEM;
    }
  }
}
