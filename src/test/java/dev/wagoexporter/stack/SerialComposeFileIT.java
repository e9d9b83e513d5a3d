package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.ExternalTool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * compose.serial.yaml, the documented way to pass a USB RS485 stick in, as Debian's docker-compose
 * (1.29, no Docker engine needed) merges it over compose.yaml.
 */
class SerialComposeFileIT {
  private static final String PASSWORD = "GRAFANA_ADMIN_PASSWORD=test-only";
  private static ExternalTool compose;

  @BeforeAll
  static void findCompose() {
    compose = ExternalTool.require("docker-compose", "docker-compose");
  }

  @Test
  void theStickIsPassedInAndReadInsteadOfAGateway() {
    Map<String, Object> exporter = exporter(List.of(PASSWORD));

    assertThat(exporter.get("devices")).isEqualTo(List.of("/dev/ttyUSB0:/dev/ttyUSB0"));
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) exporter.get("environment");
    assertThat(env)
        .containsEntry("WAGO_SERIAL", "/dev/ttyUSB0")
        .containsEntry("WAGO_BAUD", "9600")
        .containsEntry("WAGO_PARITY", "even")
        .containsEntry("WAGO_STOP_BITS", "1");
    assertThat(env.get("WAGO_GATEWAY")).as("no gateway beside the stick").isIn("", null);
    // group 20 is dialout on Debian: the group that may open the stick's device node
    assertThat(exporter.get("user")).isEqualTo("10001:20");
    assertThat(exporter.get("read_only")).isEqualTo(true);
  }

  @Test
  void aStickByIdAndItsLineSettingsComeFromTheEnvironment() {
    String byId = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0";
    Map<String, Object> exporter =
        exporter(List.of(PASSWORD, "WAGO_SERIAL=" + byId, "WAGO_BAUD=19200", "WAGO_PARITY=none"));

    assertThat(exporter.get("devices")).isEqualTo(List.of(byId + ":/dev/ttyUSB0"));
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) exporter.get("environment");
    assertThat(env)
        .containsEntry("WAGO_SERIAL", "/dev/ttyUSB0")
        .containsEntry("WAGO_BAUD", "19200")
        .containsEntry("WAGO_PARITY", "none");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> exporter(List<String> env) {
    ExternalTool.Result result =
        compose.run(
            RepoPaths.ROOT, env, "-f", "compose.yaml", "-f", "compose.serial.yaml", "config");
    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(result.output());
    return ((Map<String, Map<String, Object>>) config.get("services")).get("modbus_exporter");
  }
}
