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

  static String text(OptionalDouble kwh, String missing) {
    return kwh.isPresent() ? kwh(kwh.getAsDouble()).toPlainString() : missing;
  }
}
