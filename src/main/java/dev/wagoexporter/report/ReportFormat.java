package dev.wagoexporter.report;

/** Output formats of {@code wago-exporter report}. */
public enum ReportFormat {
  TABLE,
  CSV,
  JSON
}
