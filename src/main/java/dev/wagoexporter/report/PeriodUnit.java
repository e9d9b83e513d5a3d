package dev.wagoexporter.report;

/** The calendar unit a report sums over. */
public enum PeriodUnit {
  DAY,
  MONTH
}
