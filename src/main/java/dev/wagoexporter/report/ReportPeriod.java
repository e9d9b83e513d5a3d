package dev.wagoexporter.report;

import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * One row of a report: local midnight to local midnight, so a day is 23, 24 or 25 hours long.
 *
 * @param label what a reader calls it: {@code 2026-03-29} or {@code 2026-03}
 */
public record ReportPeriod(String label, ZonedDateTime start, ZonedDateTime end) {
  public Duration length() {
    return Duration.between(start, end);
  }

  public double hours() {
    return length().toSeconds() / 3600.0;
  }
}
