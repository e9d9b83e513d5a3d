package dev.wagoexporter.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in profile {@value ProfileLoader#BUILT_IN} in Java, so that a start without a profile
 * file parses no YAML: the YAML parser is ~130 classes, loaded now only for {@code --config} and a
 * profile file. {@code profiles/wago-879-30xx.yaml} stays the reference a user copies to write a
 * profile; {@code BuiltInProfileTest} checks that both give the same profile, so a change made to
 * one and not the other fails the build.
 */
final class BuiltInProfile {
  private BuiltInProfile() {}

  static Profile wago87930xx() {
    var b = new Builder();
    // ---- instantaneous values, block 0x5000-0x5037 ----
    b.gauge(
        "wago_system_voltage_volts",
        "Average voltage L-N of all phases",
        "V",
        1,
        0,
        300,
        point(0x5000));
    b.gauge(
        "wago_voltage_volts",
        "Phase voltage L-N",
        "V",
        1,
        0,
        300,
        point(0x5002, "phase", "L1"),
        point(0x5004, "phase", "L2"),
        point(0x5006, "phase", "L3"));
    b.gauge("wago_frequency_hertz", "Grid frequency", "Hz", 1, 40, 70, point(0x5008));
    b.gauge(
        "wago_system_current_amperes",
        "System current as the meter reports it",
        "A",
        1,
        -20000,
        20000,
        point(0x500A));
    b.gauge(
        "wago_current_amperes",
        "Phase current",
        "A",
        1,
        -20000,
        20000,
        point(0x500C, "phase", "L1"),
        point(0x500E, "phase", "L2"),
        point(0x5010, "phase", "L3"));
    b.gauge(
        "wago_system_active_power_watts",
        "Total active power of all phases (meter register in kW)",
        "W",
        1000,
        -5.0e7,
        5.0e7,
        point(0x5012));
    b.gauge(
        "wago_active_power_watts",
        "Phase active power (meter register in kW)",
        "W",
        1000,
        -2.0e7,
        2.0e7,
        point(0x5014, "phase", "L1"),
        point(0x5016, "phase", "L2"),
        point(0x5018, "phase", "L3"));
    b.gauge(
        "wago_system_reactive_power_vars",
        "Total reactive power of all phases (meter register in kvar)",
        "var",
        1000,
        -5.0e7,
        5.0e7,
        point(0x501A));
    b.gauge(
        "wago_reactive_power_vars",
        "Phase reactive power (meter register in kvar)",
        "var",
        1000,
        -2.0e7,
        2.0e7,
        point(0x501C, "phase", "L1"),
        point(0x501E, "phase", "L2"),
        point(0x5020, "phase", "L3"));
    b.gauge(
        "wago_system_apparent_power_voltamperes",
        "Total apparent power of all phases (meter register in kVA)",
        "VA",
        1000,
        -5.0e7,
        5.0e7,
        point(0x5022));
    b.gauge(
        "wago_apparent_power_voltamperes",
        "Phase apparent power (meter register in kVA)",
        "VA",
        1000,
        -2.0e7,
        2.0e7,
        point(0x5024, "phase", "L1"),
        point(0x5026, "phase", "L2"),
        point(0x5028, "phase", "L3"));
    b.gauge(
        "wago_system_power_factor_ratio",
        "Total power factor",
        "",
        1,
        -1.001,
        1.001,
        point(0x502A));
    b.gauge(
        "wago_power_factor_ratio",
        "Phase power factor",
        "",
        1,
        -1.001,
        1.001,
        point(0x502C, "phase", "L1"),
        point(0x502E, "phase", "L2"),
        point(0x5030, "phase", "L3"));
    b.gauge(
        "wago_line_voltage_volts",
        "Line-to-line voltage",
        "V",
        1,
        0,
        520,
        point(0x5032, "line", "L1-L2"),
        point(0x5034, "line", "L1-L3"),
        point(0x5036, "line", "L2-L3"));
    // ---- energy counters, block 0x6000-0x6047; kWh x 3.6e6 = J, kvarh x 1000 = varh ----
    b.kwhCounter(
        "wago_system_active_energy_combined_joules_total",
        "Total active energy as the combination code (0x400F) defines it, e.g. import + export (meter register in kWh)",
        point(0x6000));
    b.kwhCounter(
        "wago_tariff_active_energy_combined_joules_total",
        "Total active energy per tariff, as the combination code defines it (meter register in kWh)",
        point(0x6002, "tariff", "T1"),
        point(0x6004, "tariff", "T2"));
    b.kwhCounter(
        "wago_active_energy_combined_joules_total",
        "Phase active energy as the combination code defines it (meter register in kWh)",
        point(0x6006, "phase", "L1"),
        point(0x6008, "phase", "L2"),
        point(0x600A, "phase", "L3"));
    b.kwhCounter(
        "wago_system_active_energy_import_joules_total",
        "Imported (forward) active energy of all phases (meter register in kWh)",
        point(0x600C));
    b.kwhCounter(
        "wago_tariff_active_energy_import_joules_total",
        "Imported (forward) active energy per tariff (meter register in kWh)",
        point(0x600E, "tariff", "T1"),
        point(0x6010, "tariff", "T2"));
    b.kwhCounter(
        "wago_active_energy_import_joules_total",
        "Phase imported (forward) active energy (meter register in kWh)",
        point(0x6012, "phase", "L1"),
        point(0x6014, "phase", "L2"),
        point(0x6016, "phase", "L3"));
    b.kwhCounter(
        "wago_system_active_energy_export_joules_total",
        "Exported (reverse) active energy of all phases (meter register in kWh)",
        point(0x6018));
    b.kwhCounter(
        "wago_tariff_active_energy_export_joules_total",
        "Exported (reverse) active energy per tariff (meter register in kWh)",
        point(0x601A, "tariff", "T1"),
        point(0x601C, "tariff", "T2"));
    b.kwhCounter(
        "wago_active_energy_export_joules_total",
        "Phase exported (reverse) active energy (meter register in kWh)",
        point(0x601E, "phase", "L1"),
        point(0x6020, "phase", "L2"),
        point(0x6022, "phase", "L3"));
    b.kvarhCounter(
        "wago_system_reactive_energy_combined_varhours_total",
        "Total reactive energy as the combination code defines it (meter register in kvarh)",
        point(0x6024));
    b.kvarhCounter(
        "wago_tariff_reactive_energy_combined_varhours_total",
        "Total reactive energy per tariff (meter register in kvarh)",
        point(0x6026, "tariff", "T1"),
        point(0x6028, "tariff", "T2"));
    b.kvarhCounter(
        "wago_reactive_energy_combined_varhours_total",
        "Phase reactive energy as the combination code defines it (meter register in kvarh)",
        point(0x602A, "phase", "L1"),
        point(0x602C, "phase", "L2"),
        point(0x602E, "phase", "L3"));
    b.kvarhCounter(
        "wago_system_reactive_energy_import_varhours_total",
        "Imported (forward) reactive energy of all phases (meter register in kvarh)",
        point(0x6030));
    b.kvarhCounter(
        "wago_tariff_reactive_energy_import_varhours_total",
        "Imported (forward) reactive energy per tariff (meter register in kvarh)",
        point(0x6032, "tariff", "T1"),
        point(0x6034, "tariff", "T2"));
    b.kvarhCounter(
        "wago_reactive_energy_import_varhours_total",
        "Phase imported (forward) reactive energy (meter register in kvarh)",
        point(0x6036, "phase", "L1"),
        point(0x6038, "phase", "L2"),
        point(0x603A, "phase", "L3"));
    b.kvarhCounter(
        "wago_system_reactive_energy_export_varhours_total",
        "Exported (reverse) reactive energy of all phases (meter register in kvarh)",
        point(0x603C));
    b.kvarhCounter(
        "wago_tariff_reactive_energy_export_varhours_total",
        "Exported (reverse) reactive energy per tariff (meter register in kvarh)",
        point(0x603E, "tariff", "T1"),
        point(0x6040, "tariff", "T2"));
    b.kvarhCounter(
        "wago_reactive_energy_export_varhours_total",
        "Phase exported (reverse) reactive energy (meter register in kvarh)",
        point(0x6042, "phase", "L1"),
        point(0x6044, "phase", "L2"),
        point(0x6046, "phase", "L3"));
    // ---- the old Python exporter's series (same names, units and types), only with
    // --legacy-metrics ----
    b.legacy(
        "wago_power_total_kw",
        "Total active power in kW (legacy name)",
        "kW",
        -5.0e4,
        5.0e4,
        point(0x5012));
    b.legacy(
        "wago_power_L1_kw",
        "L1 active power in kW (legacy name)",
        "kW",
        -2.0e4,
        2.0e4,
        point(0x5014));
    b.legacy(
        "wago_power_L2_kw",
        "L2 active power in kW (legacy name)",
        "kW",
        -2.0e4,
        2.0e4,
        point(0x5016));
    b.legacy(
        "wago_power_L3_kw",
        "L3 active power in kW (legacy name)",
        "kW",
        -2.0e4,
        2.0e4,
        point(0x5018));
    b.legacy(
        "wago_energy_total_kwh",
        "Total active energy in kWh (legacy name)",
        "kWh",
        0,
        1.0e8,
        point(0x6000));
    b.legacy(
        "wago_energy_L1_kwh",
        "L1 active energy in kWh (legacy name)",
        "kWh",
        0,
        1.0e8,
        point(0x6006));
    b.legacy(
        "wago_energy_L2_kwh",
        "L2 active energy in kWh (legacy name)",
        "kWh",
        0,
        1.0e8,
        point(0x6008));
    b.legacy(
        "wago_energy_L3_kwh",
        "L3 active energy in kWh (legacy name)",
        "kWh",
        0,
        1.0e8,
        point(0x600A));
    b.legacy(
        "wago_frequency_hz", "Grid frequency in Hz (legacy name)", "Hz", 40, 70, point(0x5008));
    b.legacy(
        "wago_power_factor", "Total power factor (legacy name)", "", -1.001, 1.001, point(0x502A));
    return new Profile(
        "wago-879-30xx",
        "WAGO 879-30xx three-phase energy meter (inepro PRO380 register map)",
        3,
        new IdentityRegisters(
            0x4000,
            0x4002,
            0x4007,
            0x4026,
            Map.of(0x1111, "879-30xx 4PU", 0x1112, "879-30xx 4PS", 0x1113, "879-30xx 2PU CT")),
        b.metrics);
  }

  /** A register of a metric, before the profile numbers it. */
  private record Point(int address, Map<String, String> labels) {}

  private static Point point(int address) {
    return new Point(address, Map.of());
  }

  private static Point point(int address, String label, String value) {
    return new Point(address, Map.of(label, value));
  }

  /** Collects the metrics and numbers their points across the profile, as the YAML reader does. */
  private static final class Builder {
    private final List<MetricDefinition> metrics = new ArrayList<>();
    private int nextIndex;

    void gauge(
        String name,
        String help,
        String unit,
        double scale,
        double min,
        double max,
        Point... points) {
      add(
          name,
          help,
          MetricKind.GAUGE,
          unit,
          scale,
          min,
          max,
          false,
          Double.POSITIVE_INFINITY,
          points);
    }

    void counter(
        String name,
        String help,
        String unit,
        double scale,
        double min,
        double max,
        double maxRate,
        Point... points) {
      add(name, help, MetricKind.COUNTER, unit, scale, min, max, false, maxRate, points);
    }

    /**
     * An active energy counter: the meter's kWh register in joules; rising at most 3.6e7 J/s, twice
     * the meter's rated 18 MW (the profile file's header says how that is reckoned).
     */
    void kwhCounter(String name, String help, Point... points) {
      counter(name, help, "J", 3.6e6, 0, 3.6e14, 3.6e7, points);
    }

    /**
     * A reactive energy counter: the meter's kvarh register in varh, with the same kind of bounds.
     */
    void kvarhCounter(String name, String help, Point... points) {
      counter(name, help, "varh", 1000, 0, 1.0e11, 1.0e4, points);
    }

    /** A series of the old Python exporter: a gauge in the meter's own unit, unscaled. */
    void legacy(String name, String help, String unit, double min, double max, Point... points) {
      add(name, help, MetricKind.GAUGE, unit, 1, min, max, true, Double.POSITIVE_INFINITY, points);
    }

    private void add(
        String name,
        String help,
        MetricKind kind,
        String unit,
        double scale,
        double min,
        double max,
        boolean legacy,
        double maxRate,
        Point... points) {
      List<RegisterPoint> numbered = new ArrayList<>();
      for (Point p : points) {
        numbered.add(new RegisterPoint(nextIndex++, p.address(), ValueType.FLOAT32, p.labels()));
      }
      metrics.add(
          new MetricDefinition(name, help, kind, unit, scale, min, max, legacy, maxRate, numbered));
    }
  }
}
