package dev.wagoexporter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in profile against docs/metrics.md: names, sources and units are a contract. */
class WagoProfileTest {
  private static final String IDENTITY =
      "identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}";
  private final Profile profile = load();

  private static Profile load() {
    try {
      return ProfileLoader.load(ProfileLoader.BUILT_IN);
    } catch (ProfileException e) {
      throw new AssertionError(e);
    }
  }

  private MetricDefinition metric(String name) {
    return profile.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("missing metric " + name));
  }

  private Map<String, Integer> addressesByLabel(String name, String label) {
    return metric(name).points().stream()
        .collect(Collectors.toMap(p -> p.labels().get(label), RegisterPoint::address));
  }

  @Test
  void metricNamesAndRegistersAreThoseOfTheDesign() {
    assertThat(addressesByLabel("wago_voltage_volts", "phase"))
        .isEqualTo(Map.of("L1", 0x5002, "L2", 0x5004, "L3", 0x5006));
    assertThat(addressesByLabel("wago_line_voltage_volts", "line"))
        .isEqualTo(Map.of("L1-L2", 0x5032, "L1-L3", 0x5034, "L2-L3", 0x5036));
    assertThat(metric("wago_frequency_hertz").points().get(0).address()).isEqualTo(0x5008);
    assertThat(addressesByLabel("wago_current_amperes", "phase"))
        .isEqualTo(Map.of("L1", 0x500C, "L2", 0x500E, "L3", 0x5010));
    assertThat(addressesByLabel("wago_active_power_watts", "phase"))
        .isEqualTo(Map.of("L1", 0x5014, "L2", 0x5016, "L3", 0x5018));
    assertThat(addressesByLabel("wago_reactive_power_vars", "phase"))
        .isEqualTo(Map.of("L1", 0x501C, "L2", 0x501E, "L3", 0x5020));
    assertThat(addressesByLabel("wago_apparent_power_voltamperes", "phase"))
        .isEqualTo(Map.of("L1", 0x5024, "L2", 0x5026, "L3", 0x5028));
    assertThat(addressesByLabel("wago_power_factor_ratio", "phase"))
        .isEqualTo(Map.of("L1", 0x502C, "L2", 0x502E, "L3", 0x5030));
    assertThat(metric("wago_system_active_power_watts").points().get(0).address())
        .isEqualTo(0x5012);
    assertThat(metric("wago_system_reactive_power_vars").points().get(0).address())
        .isEqualTo(0x501A);
    assertThat(metric("wago_system_apparent_power_voltamperes").points().get(0).address())
        .isEqualTo(0x5022);
    assertThat(metric("wago_system_power_factor_ratio").points().get(0).address())
        .isEqualTo(0x502A);
    assertThat(addressesByLabel("wago_active_energy_import_joules_total", "phase"))
        .isEqualTo(Map.of("L1", 0x6012, "L2", 0x6014, "L3", 0x6016));
    assertThat(addressesByLabel("wago_active_energy_export_joules_total", "phase"))
        .isEqualTo(Map.of("L1", 0x601E, "L2", 0x6020, "L3", 0x6022));
    assertThat(metric("wago_system_active_energy_import_joules_total").points().get(0).address())
        .isEqualTo(0x600C);
    assertThat(metric("wago_system_active_energy_export_joules_total").points().get(0).address())
        .isEqualTo(0x6018);
  }

  @Test
  void powerIsScaledToWattsAndEnergyToJoules() {
    assertThat(metric("wago_active_power_watts").scale()).isEqualTo(1000);
    assertThat(metric("wago_active_energy_import_joules_total").scale()).isEqualTo(3.6e6);
    assertThat(metric("wago_active_energy_import_joules_total").kind())
        .isEqualTo(MetricKind.COUNTER);
    assertThat(metric("wago_voltage_volts").kind()).isEqualTo(MetricKind.GAUGE);
  }

  @Test
  void onlyCountersEndInTotal() {
    for (MetricDefinition m : profile.metrics()) {
      assertThat(m.name().endsWith("_total"))
          .as(m.name())
          .isEqualTo(m.kind() == MetricKind.COUNTER);
    }
  }

  @Test
  void legacySeriesKeepTheOldNamesUnitsAndRegisters() {
    List<String> legacy =
        profile.metrics().stream()
            .filter(MetricDefinition::legacy)
            .map(MetricDefinition::name)
            .toList();
    assertThat(legacy)
        .containsExactlyInAnyOrder(
            "wago_power_total_kw",
            "wago_power_L1_kw",
            "wago_power_L2_kw",
            "wago_power_L3_kw",
            "wago_energy_total_kwh",
            "wago_energy_L1_kwh",
            "wago_energy_L2_kwh",
            "wago_energy_L3_kwh",
            "wago_frequency_hz",
            "wago_power_factor");
    assertThat(metric("wago_power_total_kw").scale()).isEqualTo(1.0);
    assertThat(metric("wago_energy_total_kwh").points().get(0).address()).isEqualTo(0x6000);
    assertThat(metric("wago_energy_L3_kwh").points().get(0).address()).isEqualTo(0x600A);
    assertThat(profile.served(false)).noneMatch(MetricDefinition::legacy);
  }

  @Test
  void helpNamesTheSourceRegister() {
    assertThat(metric("wago_voltage_volts").fullHelp())
        .contains("0x5002 (L1)")
        .contains("last successful poll");
  }

  @Test
  void identityIsReadInOneRequestUpToTheDataFormatRegister() {
    assertThat(profile.identity().start()).isEqualTo(0x4000);
    assertThat(profile.identity().count()).isEqualTo(0x27);
  }

  @Test
  void everyEnergyCounterHasARiseLimitOfTwiceTheRatedPower() {
    for (MetricDefinition m : profile.metrics()) {
      if (m.kind() == MetricKind.COUNTER) {
        // 20000 A x 300 V x 3 phases = 18 MW, twice over; varh per second is var / 3600
        double watts = m.unit().equals("J") ? m.maxRate() : m.maxRate() * 3600;
        assertThat(watts).as(m.name()).isEqualTo(3.6e7);
      }
    }
  }

  @Test
  void maxRateIsForCountersOnly() {
    assertThatThrownBy(
            () ->
                ProfileLoader.parse(
                    """
        name: x
        identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}
        metrics:
          - name: x_volts
            help: h
            max_rate: 5
            registers: [{address: 0x5002}]
        """,
                    "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessageStartingWith("my.yaml:")
        .hasMessageContaining("metrics[0].max_rate: max_rate applies to counters only");
  }

  @Test
  void badProfileErrorsNameFileLineAndKey() {
    assertThatThrownBy(
            () ->
                ProfileLoader.parse(
                    """
        name: x
        identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}
        metrics:
          - name: x_volts
            help: h
            registrs: [{address: 0x5002}]
        """,
                    "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage(
            "my.yaml:6:5: metrics[0].registrs: unknown key 'registrs' (did you mean 'registers'? "
                + "allowed keys: name, help, kind, unit, scale, range, legacy, type, max_rate,"
                + " registers)");
    assertThatThrownBy(
            () ->
                ProfileLoader.parse(
                    """
        name: x
        identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}
        metrics:
          - {name: x_volts, help: h, registers: [{address: 0x50G2}]}
        """,
                    "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage(
            "my.yaml:4:52: metrics[0].registers[0].address: expected a whole number, got '0x50G2' "
                + "(write decimal digits, or 0x and hex digits such as 0x5002, without quotes)");
    assertThatThrownBy(() -> ProfileLoader.load("/nonexistent/profile.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage("/nonexistent/profile.yaml: cannot read profile: no such file");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      function code   | function_code: 6                                  | 2:16: function_code: function code 6 is not supported (use 3 for holding registers or 4 for input registers; the exporter never writes)
      range reversed  | range: [300, 0]                                   | 5:37: metrics[0].range: min 300.0 is larger than max 0.0 (write two numbers in brackets, smallest first, e.g. range: [0, 300])
      range one value | range: [300]                                      | 5:37: metrics[0].range: expected [min, max], got a list (write two numbers in brackets, smallest first, e.g. range: [0, 300])
      scale quoted    | scale: '1000'                                     | 5:37: metrics[0].scale: expected a finite number, got '1000' (write digits with an optional decimal point and exponent, e.g. 1000 or 3.6e6, without quotes)
      counter name    | kind: counter                                     | 5:12: metrics[0].name: counter 'x_volts' does not end in _total (a counter's name must end in _total)
      unknown kind    | kind: meter                                       | 5:36: metrics[0].kind: unknown kind 'meter' (use gauge or counter)
      address too big | registers: [{address: 0xFFFF}]                    | 5:52: metrics[0].registers[0].address: address 0xFFFF with its 2 register(s) is not within 0x0000..0xFFFF (use the address from the meter's register map)
      no registers    | registers: []                                     | 5:41: metrics[0].registers: no registers (list at least one, e.g. registers: [{address: 0x5002}])
      bad model code  | identity.models                                   | 3:96: identity.models.L1: expected a whole number, got 'L1' (write decimal digits, or 0x and hex digits such as 0x5002, without quotes)
      """)
  void badProfileValuesGiveOneLineWithPositionKeyAndFix(
      String what, String setting, String expected) {
    String identity =
        setting.equals("identity.models") ? IDENTITY.replace("}", ", models: {L1: x}}") : IDENTITY;
    String top = setting.startsWith("function_code") ? setting : "function_code: 3";
    String metric =
        setting.startsWith("function_code") || setting.startsWith("identity") ? "" : ", " + setting;
    String registers = metric.contains("registers:") ? "" : ", registers: [{address: 0x5002}]";
    String yaml =
        "name: x\n"
            + top
            + "\n"
            + identity
            + "\nmetrics:\n  - {name: x_volts, help: h"
            + metric
            + registers
            + "}\n";

    assertThatThrownBy(() -> ProfileLoader.parse(yaml, "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage("my.yaml:" + expected);
  }

  @Test
  void aMetricNameIsUsedOnlyOnce() {
    String metric = "  - {name: x_volts, help: h, registers: [{address: 0x5002}]}\n";
    String yaml =
        "name: x\n" + IDENTITY + "\nmetrics:\n" + metric + metric.replace("0x5002", "0x5004");

    assertThatThrownBy(() -> ProfileLoader.parse(yaml, "my.yaml"))
        .isInstanceOf(ProfileException.class)
        .hasMessage(
            "my.yaml:5:12: metrics[1].name: metric name 'x_volts' is already used by metrics[0] (give every metric its own name)");
  }

  @Test
  void modelsAreReadByTheirHexMeterCode() {
    assertThat(profile.identity().models())
        .containsEntry(0x1111, "879-30xx 4PU")
        .containsEntry(0x1113, "879-30xx 2PU CT");
  }
}
