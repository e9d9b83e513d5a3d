package dev.wagoexporter.report;

/**
 * Where the register readings of a report row came from (docs/operations.md, "History from the old
 * exporter").
 */
public enum ReadingSource {
  /** The exporter's joule counters only. */
  COUNTERS,
  /** The old exporter's kWh gauges only: the row lies before the switch. */
  LEGACY,
  /** Both: the row spans the switch, legacy readings up to it and counters from it on. */
  STITCHED,
  /** No reading at all (the row is missing). */
  NONE;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static ReadingSource of(boolean legacy, boolean counters) {
    if (legacy && counters) return STITCHED;
    if (legacy) return LEGACY;
    return counters ? COUNTERS : NONE;
  }

  /** The source of several rows together (the total). */
  ReadingSource plus(ReadingSource other) {
    if (this == NONE) return other;
    if (other == NONE || other == this) return this;
    return STITCHED;
  }
}
