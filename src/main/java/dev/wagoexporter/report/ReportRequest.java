package dev.wagoexporter.report;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the user asked for.
 *
 * @param meter empty: the only meter Prometheus has data for
 * @param to the last day included
 * @param pricePerKwh empty: no cost column
 * @param averages column name to a series selector whose samples are averaged per period; the one
 *     named {@link #OUTDOOR} also gives heating degree days
 * @param baseTemperature the heating degree days' base, in °C
 * @param legacyMatch PromQL label matchers choosing the old exporter's gauges, e.g. {@code
 *     instance="modbus_exporter:9100"}; empty: matched by {@code meter} or {@code instance}
 *     (docs/operations.md)
 */
public record ReportRequest(
    Optional<String> meter,
    LocalDate from,
    LocalDate to,
    PeriodUnit unit,
    ZoneId zone,
    OptionalDouble pricePerKwh,
    Map<String, String> averages,
    double baseTemperature,
    Optional<String> legacyMatch) {
  public static final String OUTDOOR = "outdoor";
  public static final double DEFAULT_BASE_TEMPERATURE = 15;

  public ReportRequest {
    averages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(averages));
  }

  public ReportRequest(
      Optional<String> meter,
      LocalDate from,
      LocalDate to,
      PeriodUnit unit,
      ZoneId zone,
      OptionalDouble pricePerKwh) {
    this(
        meter,
        from,
        to,
        unit,
        zone,
        pricePerKwh,
        Map.of(),
        DEFAULT_BASE_TEMPERATURE,
        Optional.empty());
  }
}
