package dev.wagoexporter.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalDouble;

/** Turns a report into text for one output format. */
public interface ReportFormatter {
  String format(EnergyReport report);

  static ReportFormatter of(ReportFormat format) {
    return switch (format) {
      case TABLE -> new TableReportFormatter();
      case CSV -> new CsvReportFormatter();
      case JSON -> new JsonReportFormatter();
    };
  }

  /** kWh to the watt-hour: the meter's own display resolution is 10 Wh, so nothing is lost. */
  static BigDecimal kwh(double kwh) {
    return BigDecimal.valueOf(kwh).setScale(3, RoundingMode.HALF_UP);
  }

  static BigDecimal money(double amount) {
    return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP);
  }

  static String hours(ReportPeriod period) {
    return BigDecimal.valueOf(period.hours()).stripTrailingZeros().toPlainString();
  }

  static String column(EnergyRegister register) {
    return register.direction().key() + "_" + register.phase().toLowerCase(Locale.ROOT) + "_kwh";
  }

  /** An average column's value (a temperature), or heating degree days, to two decimals. */
  static String decimal(OptionalDouble value, String missing) {
    return value.isPresent()
        ? BigDecimal.valueOf(value.getAsDouble()).setScale(2, RoundingMode.HALF_UP).toPlainString()
        : missing;
  }

  /** The extra columns of {@code --average}: per name its avg, min and max, then degree days. */
  static java.util.List<String> extraHeaders(EnergyReport report, String separator) {
    java.util.List<String> headers = new java.util.ArrayList<>();
    for (String name : report.averages()) {
      for (String stat : java.util.List.of("avg", "min", "max")) {
        headers.add(name + separator + stat);
      }
    }
    if (report.hasDegreeDays()) {
      boolean csv = separator.equals("_");
      headers.add(csv ? "heating_degree_days" : "degree days");
      headers.add(csv ? "import_kwh_per_degree_day" : "import kWh/degree day");
      if (report.directions().contains(EnergyDirection.COMBINED)) {
        headers.add(csv ? "combined_kwh_per_degree_day" : "combined kWh/degree day");
      }
    }
    return headers;
  }

  static java.util.List<String> extraCells(EnergyReport report, PeriodRow row, String missing) {
    java.util.List<String> cells = new java.util.ArrayList<>();
    for (String name : report.averages()) {
      SeriesStats stats = row.average(name);
      cells.add(decimal(stats.average(), missing));
      cells.add(decimal(stats.minimum(), missing));
      cells.add(decimal(stats.maximum(), missing));
    }
    if (report.hasDegreeDays()) {
      cells.add(decimal(row.degreeDays(), missing));
      cells.add(text(row.kwhPerDegreeDay(), missing));
      if (report.directions().contains(EnergyDirection.COMBINED)) {
        cells.add(text(row.kwhPerDegreeDay(EnergyDirection.COMBINED), missing));
      }
    }
    return cells;
  }

  static String text(OptionalDouble kwh, String missing) {
    return kwh.isPresent() ? kwh(kwh.getAsDouble()).toPlainString() : missing;
  }
}
