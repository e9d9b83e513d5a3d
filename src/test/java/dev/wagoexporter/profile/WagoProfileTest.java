package dev.wagoexporter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built-in profile against DESIGN §2: names, sources and units are a contract. */
class WagoProfileTest {
  private final Profile profile = load();

  private static Profile load() {
    try {
      return ProfileLoader.load(ProfileLoader.BUILT_IN);
    } catch (ProfileException e) {
      throw new AssertionError(e);
    }
  }

  private MetricDefinition metric(String name) {
    return profile.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("missing metric " + name));
  }

  private Map<String, Integer> addressesByLabel(String name, String label) {
    return metric(name).points().stream().collect(Collectors.toMap(p -> p.labels().get(label), RegisterPoint::address));
  }

  @Test
  void metricNamesAndRegistersAreThoseOfTheDesign() {
    assertThat(addressesByLabel("wago_voltage_volts", "phase")).isEqualTo(Map.of("L1", 0x5002, "L2", 0x5004, "L3", 0x5006));
    assertThat(addressesByLabel("wago_line_voltage_volts", "line")).isEqualTo(Map.of("L1-L2", 0x5032, "L1-L3", 0x5034, "L2-L3", 0x5036));
    assertThat(metric("wago_frequency_hertz").points().get(0).address()).isEqualTo(0x5008);
    assertThat(addressesByLabel("wago_current_amperes", "phase")).isEqualTo(Map.of("L1", 0x500C, "L2", 0x500E, "L3", 0x5010));
    assertThat(addressesByLabel("wago_active_power_watts", "phase")).isEqualTo(Map.of("L1", 0x5014, "L2", 0x5016, "L3", 0x5018));
    assertThat(addressesByLabel("wago_reactive_power_vars", "phase")).isEqualTo(Map.of("L1", 0x501C, "L2", 0x501E, "L3", 0x5020));
    assertThat(addressesByLabel("wago_apparent_power_voltamperes", "phase")).isEqualTo(Map.of("L1", 0x5024, "L2", 0x5026, "L3", 0x5028));
    assertThat(addressesByLabel("wago_power_factor_ratio", "phase")).isEqualTo(Map.of("L1", 0x502C, "L2", 0x502E, "L3", 0x5030));
    assertThat(metric("wago_system_active_power_watts").points().get(0).address()).isEqualTo(0x5012);
    assertThat(metric("wago_system_reactive_power_vars").points().get(0).address()).isEqualTo(0x501A);
    assertThat(metric("wago_system_apparent_power_voltamperes").points().get(0).address()).isEqualTo(0x5022);
    assertThat(metric("wago_system_power_factor_ratio").points().get(0).address()).isEqualTo(0x502A);
    assertThat(addressesByLabel("wago_active_energy_import_joules_total", "phase")).isEqualTo(Map.of("L1", 0x6012, "L2", 0x6014, "L3", 0x6016));
    assertThat(addressesByLabel("wago_active_energy_export_joules_total", "phase")).isEqualTo(Map.of("L1", 0x601E, "L2", 0x6020, "L3", 0x6022));
    assertThat(metric("wago_system_active_energy_import_joules_total").points().get(0).address()).isEqualTo(0x600C);
    assertThat(metric("wago_system_active_energy_export_joules_total").points().get(0).address()).isEqualTo(0x6018);
  }

  @Test
  void powerIsScaledToWattsAndEnergyToJoules() {
    assertThat(metric("wago_active_power_watts").scale()).isEqualTo(1000);
    assertThat(metric("wago_active_energy_import_joules_total").scale()).isEqualTo(3.6e6);
    assertThat(metric("wago_active_energy_import_joules_total").kind()).isEqualTo(MetricKind.COUNTER);
    assertThat(metric("wago_voltage_volts").kind()).isEqualTo(MetricKind.GAUGE);
  }

  @Test
  void onlyCountersEndInTotal() {
    for (MetricDefinition m : profile.metrics()) {
      assertThat(m.name().endsWith("_total")).as(m.name()).isEqualTo(m.kind() == MetricKind.COUNTER);
    }
  }

  @Test
  void legacySeriesKeepTheOldNamesUnitsAndRegisters() {
    List<String> legacy = profile.metrics().stream().filter(MetricDefinition::legacy).map(MetricDefinition::name).toList();
    assertThat(legacy).containsExactlyInAnyOrder("wago_power_total_kw", "wago_power_L1_kw", "wago_power_L2_kw",
        "wago_power_L3_kw", "wago_energy_total_kwh", "wago_energy_L1_kwh", "wago_energy_L2_kwh", "wago_energy_L3_kwh",
        "wago_frequency_hz", "wago_power_factor");
    assertThat(metric("wago_power_total_kw").scale()).isEqualTo(1.0);
    assertThat(metric("wago_energy_total_kwh").points().get(0).address()).isEqualTo(0x6000);
    assertThat(metric("wago_energy_L3_kwh").points().get(0).address()).isEqualTo(0x600A);
    assertThat(profile.served(false)).noneMatch(MetricDefinition::legacy);
  }

  @Test
  void helpNamesTheSourceRegister() {
    assertThat(metric("wago_voltage_volts").fullHelp()).contains("0x5002 (L1)").contains("last successful poll");
  }

  @Test
  void identityIsReadInOneRequestUpToTheDataFormatRegister() {
    assertThat(profile.identity().start()).isEqualTo(0x4000);
    assertThat(profile.identity().count()).isEqualTo(0x27);
  }

  @Test
  void badProfileErrorsNameFileLineAndKey() {
    assertThatThrownBy(() -> ProfileLoader.parse("""
        name: x
        identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}
        metrics:
          - name: x_volts
            help: h
            registrs: [{address: 0x5002}]
        """, "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage("my.yaml:6:5: metrics[0].registrs: unknown key (allowed: help, kind, legacy, name, range, registers, scale, type, unit)");
    assertThatThrownBy(() -> ProfileLoader.parse("""
        name: x
        identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}
        metrics:
          - {name: x_volts, help: h, registers: [{address: 0x50G2}]}
        """, "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessageStartingWith("my.yaml:4:52: metrics[0].registers[0].address: '0x50G2' is not an integer");
    assertThatThrownBy(() -> ProfileLoader.load("/nonexistent/profile.yaml"))
        .isInstanceOf(ProfileException.class).hasMessageContaining("cannot read profile");
  }
}
