package dev.wagoexporter.report;

/**
 * Energy drawn from the grid or fed into it, or both as the meter's combination code (0x400F)
 * combines them, and the exporter's counters for each (docs/metrics.md). The combined registers are
 * the ones the old exporter read (0x6000, 0x6006–0x600A), so its history continues them.
 */
public enum EnergyDirection {
  IMPORT("wago_active_energy_import_joules_total", "wago_system_active_energy_import_joules_total"),
  EXPORT("wago_active_energy_export_joules_total", "wago_system_active_energy_export_joules_total"),
  COMBINED(
      "wago_active_energy_combined_joules_total",
      "wago_system_active_energy_combined_joules_total");

  private final String phaseMetric;
  private final String systemMetric;

  EnergyDirection(String phaseMetric, String systemMetric) {
    this.phaseMetric = phaseMetric;
    this.systemMetric = systemMetric;
  }

  /** Counter with a {@code phase} label. */
  public String phaseMetric() {
    return phaseMetric;
  }

  /** The meter's own total register (not the sum of the phases). */
  public String systemMetric() {
    return systemMetric;
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
