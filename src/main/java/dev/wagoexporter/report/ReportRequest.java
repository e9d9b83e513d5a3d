package dev.wagoexporter.report;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the user asked for.
 *
 * @param meter empty: the only meter Prometheus has data for
 * @param to the last day included
 * @param pricePerKwh empty: no cost column
 */
public record ReportRequest(
    Optional<String> meter,
    LocalDate from,
    LocalDate to,
    PeriodUnit unit,
    ZoneId zone,
    OptionalDouble pricePerKwh) {}
