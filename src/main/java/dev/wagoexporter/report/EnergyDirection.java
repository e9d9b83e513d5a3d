package dev.wagoexporter.report;

/**
 * Energy drawn from the grid or fed into it, and the exporter's counters for each
 * (docs/metrics.md).
 */
public enum EnergyDirection {
  IMPORT("wago_active_energy_import_joules_total", "wago_system_active_energy_import_joules_total"),
  EXPORT("wago_active_energy_export_joules_total", "wago_system_active_energy_export_joules_total");

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
