package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.modbus.Framing;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final Set<String> BUILT_IN = Set.of("wago-879-30xx");
  private static final Path DIR = resourceDirectory();

  @Test
  void readsEveryFieldOfAFullConfig() throws ConfigException {
    ExporterConfig config = ConfigLoader.load(DIR.resolve("good.yml"), BUILT_IN);

    assertThat(config.listen()).isEqualTo(new ListenAddress("127.0.0.1", 9200));
    assertThat(config.legacyMetrics()).isTrue();
    GatewayConfig shed =
        new GatewayConfig("192.168.2.10", 8899, Framing.RTU_OVER_TCP, Duration.ofMillis(20));
    GatewayConfig garage = new GatewayConfig("fd00::10", 502, Framing.TCP, Duration.ZERO);
    assertThat(config.meters())
        .containsExactly(
            new MeterConfig(
                "house",
                "wago-879-30xx",
                shed,
                1,
                Duration.ofSeconds(15),
                Duration.ofMillis(1500),
                125),
            new MeterConfig(
                "heat_pump",
                DIR.resolve("profiles/custom-meter.yaml").toString(),
                shed,
                10,
                Duration.ofMinutes(1),
                Duration.ofSeconds(3),
                60),
            new MeterConfig(
                "garage-sub",
                "wago-879-30xx",
                garage,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                125));
    assertThat(config.metersByBus()).containsOnlyKeys(shed, garage);
    assertThat(config.metersByBus().get(shed))
        .extracting(MeterConfig::name)
        .containsExactly("house", "heat_pump");
    assertThat(garage.address()).hasToString("[fd00::10]:502");
  }

  @Test
  void readsMetersOnASerialDeviceBesideAGateway() throws ConfigException {
    ExporterConfig config = ConfigLoader.load(DIR.resolve("good-serial.yml"), BUILT_IN);

    SerialConfig stick =
        new SerialConfig(
            new SerialDevice("/dev/ttyUSB0"), 19200, Parity.NONE, 2, Duration.ofMillis(20));
    SerialConfig byId =
        SerialConfig.factoryDefault(
            "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0");
    GatewayConfig shed = new GatewayConfig("192.168.2.10", 8899, Framing.TCP, Duration.ZERO);
    assertThat(config.meters())
        .extracting(MeterConfig::bus)
        .containsExactly(stick, stick, byId, shed);
    assertThat(byId.baud()).isEqualTo(9600);
    assertThat(byId.parity()).isEqualTo(Parity.EVEN);
    assertThat(byId.stopBits()).isEqualTo(1);
    assertThat(config.metersByBus()).containsOnlyKeys(stick, byId, shed);
    assertThat(config.metersByBus().get(stick))
        .extracting(MeterConfig::name)
        .containsExactly("house", "heat_pump");
  }

  @Test
  void fillsInTheDocumentedDefaults() throws ConfigException {
    ExporterConfig config = ConfigLoader.load(DIR.resolve("good-minimal.yml"), BUILT_IN);

    assertThat(config.listen().toString()).isEqualTo(":9100");
    assertThat(config.listen().allInterfaces()).isTrue();
    assertThat(config.legacyMetrics()).isFalse();
    MeterConfig meter = config.meters().get(0);
    assertThat(meter.name()).isEqualTo("main");
    assertThat(meter.profile()).isEqualTo("wago-879-30xx");
    assertThat(meter.bus())
        .isEqualTo(new GatewayConfig("192.168.2.10", 8899, Framing.TCP, Duration.ZERO));
    assertThat(meter.unitId()).isEqualTo(1);
    assertThat(meter.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(meter.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(meter.maxRegistersPerRequest()).isEqualTo(125);
    assertThat(meter).isEqualTo(MeterConfig.withDefaults(meter.bus()));
  }

  @Test
  void theExampleAtTheRepositoryRootLoads() throws ConfigException {
    // Maven runs tests in the project directory, where users find the example to copy.
    ExporterConfig config = ConfigLoader.load(Path.of("config.example.yml"), BUILT_IN);

    assertThat(config.listen()).isEqualTo(ListenAddress.DEFAULT);
    assertThat(config.legacyMetrics()).isFalse();
    assertThat(config.meters()).extracting(MeterConfig::name).containsExactly("main");
    MeterConfig main = config.meters().get(0);
    assertThat(main.bus())
        .isEqualTo(new GatewayConfig("192.168.2.10", 8899, Framing.TCP, Duration.ZERO));
    assertThat(main.unitId()).isEqualTo(2);
    assertThat(main.profile()).isEqualTo("wago-879-30xx");
  }

  @ParameterizedTest(name = "bad-{0}.yml")
  @MethodSource("badFiles")
  void rejectsBadInputWithOneLineNamingFileLineColumnAndKey(String name, String expected) {
    Path file = DIR.resolve("bad-" + name + ".yml");

    assertThatThrownBy(() -> ConfigLoader.load(file, BUILT_IN))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":" + expected.replace("%DIR%", DIR.toString()))
        .message()
        .doesNotContain("\n");
  }

  @Test
  void everyBadFileHasItsExpectedMessage() throws IOException {
    Set<String> tested = badFiles().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(DIR)) {
      Set<String> present =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("bad-") && n.endsWith(".yml"))
              .map(n -> n.substring("bad-".length(), n.length() - ".yml".length()))
              .collect(Collectors.toSet());
      assertThat(tested).isEqualTo(present);
    }
  }

  @Test
  void aMissingFileIsNamedWithTheReason() {
    Path file = DIR.resolve("no-such-config.yml");

    assertThatThrownBy(() -> ConfigLoader.load(file, BUILT_IN))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": cannot read config file: no such file");
  }

  @Test
  void aDirectoryIsNotAConfigFile() {
    assertThatThrownBy(() -> ConfigLoader.load(DIR, BUILT_IN))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            DIR + ": cannot read config file: it is a directory (give the path of the YAML file)");
  }

  @Test
  void aFileThatIsNotUtf8IsRejectedBeforeParsing(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("latin1.yml");
    Files.write(
        file, new byte[] {'#', ' ', (byte) 0xE9, '\n', 'm', 'e', 't', 'e', 'r', 's', ':', '\n'});

    assertThatThrownBy(() -> ConfigLoader.load(file, BUILT_IN))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": cannot read config file: not UTF-8 text (save it as UTF-8)");
  }

  @Test
  void aRelativeProfileIsFoundNextToTheConfigFileWhereverItIsCopied(@TempDir Path tmp)
      throws Exception {
    Files.createDirectories(tmp.resolve("site/profiles"));
    Files.writeString(tmp.resolve("site/profiles/mine.yaml"), "# profile\n");
    Path config = tmp.resolve("site/wago.yml");
    Files.writeString(
        config, "meters:\n  - gateway: {host: gw, port: 502}\n    profile: profiles/mine.yaml\n");

    ExporterConfig loaded = ConfigLoader.load(config, BUILT_IN);

    assertThat(loaded.meters().get(0).profile())
        .isEqualTo(tmp.resolve("site/profiles/mine.yaml").toString());
  }

  @Test
  void probeAllowListTakesHostsHostPortsAndRanges() throws Exception {
    ProbeConfig probe = ConfigLoader.load(DIR.resolve("good-probe.yml"), BUILT_IN).probe();
    assertThat(probe.allows(new GatewayAddress("192.168.2.77", 502))).isTrue();
    assertThat(probe.allows(new GatewayAddress("192.168.3.1", 502))).isFalse();
    assertThat(probe.allows(new GatewayAddress("GW2.lan", 502))).isTrue();
    assertThat(probe.allows(new GatewayAddress("gw2.lan", 503))).isFalse();
    assertThat(probe.allows(new GatewayAddress("gw3.lan", 4196))).isTrue();
    assertThat(probe.allows(new GatewayAddress("fd00::1234", 502))).isTrue();
    assertThat(probe.allows(new GatewayAddress("fd01::1", 502))).isFalse();
    assertThat(probe.allows(new GatewayAddress("fd00:0::5", 502))).isTrue();
    assertThat(ConfigLoader.load(DIR.resolve("good-minimal.yml"), BUILT_IN).probe())
        .isEqualTo(ProbeConfig.CONFIGURED_ONLY);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad(
            "probe-cidr-prefix",
            "4:21: probe.allowed_targets[0]: '192.168.2.0/33' has prefix length '33'; use 0 to 32, e.g. 192.168.2.0/24"),
        bad(
            "probe-target-space",
            "4:21: probe.allowed_targets[0]: 'gw 2.lan' is not a host (give a host (gw2.lan), HOST:PORT (gw2.lan:502, [fd00::5]:502) or a CIDR range (192.168.2.0/24))"),
        bad(
            "probe-targets-not-list",
            "4:20: probe.allowed_targets: expected a list, got '192.168.2.0/24' (list hosts, HOST:PORT or CIDR ranges, e.g. allowed_targets: [\"192.168.2.0/24\", \"gw2.lan:502\"])"),
        bad(
            "probe-unknown-key",
            "4:3: probe.allowed_target: unknown key 'allowed_target' (did you mean 'allowed_targets'? allowed keys: allowed_targets)"),
        bad(
            "probe-target-port",
            "4:21: probe.allowed_targets[0]: port 99999 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. 192.168.2.10:502)"),
        bad(
            "probe-cidr-host",
            "4:21: probe.allowed_targets[0]: 'gw2.lan/24' is not a CIDR range: 'gw2.lan' is not an IP address (give a host (gw2.lan), HOST:PORT (gw2.lan:502, [fd00::5]:502) or a CIDR range (192.168.2.0/24))"),
        bad(
            "duplicate-key",
            "5:5: meters[0].unit_id: key 'unit_id' is given twice, first on line 4 (keep only one of them)"),
        bad(
            "duplicate-name",
            "5:11: meters[1].name: meter name 'house' is already used by meters[0] (give every meter its own name; it becomes the meter label)"),
        bad(
            "duration-fraction",
            "3:14: meters[0].timeout: duration '1.5s' is not a whole number (use a smaller unit, e.g. 1500ms instead of 1.5s)"),
        bad(
            "duration-no-unit",
            "3:20: meters[0].poll_interval: duration '30' has no unit (write e.g. 30s for seconds; units are ms, s, m, h)"),
        bad(
            "duration-overflow",
            "3:20: meters[0].poll_interval: duration '99999999999999999h' is too long (write a whole number and a unit: 500ms, 30s, 2m or 1h)"),
        bad(
            "deep-nesting",
            "1:1: invalid YAML: collections nested too deeply (check the file against config.example.yml)"),
        bad(
            "duration-unit",
            "3:14: meters[0].timeout: invalid duration '2 sec' (write a whole number and a unit: 500ms, 30s, 2m or 1h)"),
        bad(
            "empty-file",
            "1:1: meters: no meters configured (list at least one meter under meters:, each with a gateway or serial device; see config.example.yml)"),
        bad(
            "empty-host",
            "3:12: meters[0].gateway.host: has no value (give the gateway's IP address or name, e.g. host: 192.168.2.10)"),
        bad(
            "empty-meters",
            "2:9: meters: no meters configured (list at least one meter under meters:, each with a gateway or serial device; see config.example.yml)"),
        bad(
            "empty-value",
            "3:13: meters[0].timeout: has no value (write a value after the colon, or remove the key to use the default)"),
        bad(
            "framing-conflict-default",
            "6:14: meters[1].gateway.framing: framing tcp differs from auto of meter 'house' at meters[0] on the same gateway 192.168.2.10:8899 (meters on one gateway share one connection; give them the same framing)"),
        bad(
            "framing-conflict",
            "6:56: meters[1].gateway.framing: framing rtu-over-tcp differs from tcp of meter 'house' at meters[0] on the same gateway 192.168.2.10:8899 (meters on one gateway share one connection; give them the same framing)"),
        bad(
            "framing-value",
            "2:55: meters[0].gateway.framing: unknown framing 'modbus-tcp' (use tcp, rtu-over-tcp or auto)"),
        bad(
            "gateway-not-mapping",
            "3:14: meters[0].gateway: expected a mapping, got '192.168.2.10:8899' (give the gateway as a mapping, e.g. gateway: {host: 192.168.2.10, port: 502})"),
        bad(
            "host-with-port",
            "3:13: meters[0].gateway.host: host '192.168.2.10:8899' contains a port (put the port in its own key: port: 8899)"),
        bad(
            "legacy-metrics-yes",
            "1:17: legacy_metrics: expected true or false, got 'yes' (write true or false)"),
        bad(
            "listen-ipv6-no-brackets",
            "1:9: listen: '::1:9100' looks like an IPv6 address without brackets (put IPv6 hosts in brackets, e.g. [::1]:9100)"),
        bad("listen-no-port", "1:9: listen: '9100' has no port (write [HOST]:PORT, e.g. :9100)"),
        bad(
            "listen-port-range",
            "1:9: listen: port 99999 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. :9100)"),
        bad(
            "max-registers-range",
            "3:32: meters[0].max_registers_per_request: max_registers_per_request 126 is outside 1..125 (one Modbus read carries at most 125 registers; lower it only if the gateway or meter rejects long reads)"),
        bad(
            "meter-name-digit",
            "2:11: meters[0].name: '1st-floor' is not a valid meter name (start with a letter and use only letters, digits, '_' and '-', at most 64 characters, e.g. meter_1st-floor)"),
        bad(
            "meter-name",
            "2:11: meters[0].name: 'main meter' is not a valid meter name (start with a letter and use only letters, digits, '_' and '-', at most 64 characters, e.g. main_meter)"),
        bad(
            "meter-not-mapping",
            "2:5: meters[0]: expected a mapping of settings, got 'main' (write the entry's settings as key: value lines under '- ', see config.example.yml)"),
        bad(
            "meters-not-list",
            "2:3: meters: expected a list, got a mapping (start each entry with '- ', see config.example.yml)"),
        bad(
            "missing-gateway",
            "2:5: meters[0].gateway: missing (give the gateway as a mapping, e.g. gateway: {host: 192.168.2.10, port: 502}, or the USB RS485 stick, e.g. serial: {device: /dev/ttyUSB0})"),
        bad(
            "missing-host",
            "3:7: meters[0].gateway.host: missing (give the gateway's IP address or name, e.g. host: 192.168.2.10)"),
        bad(
            "name-list",
            "2:11: meters[0].name: expected a text value, got a list (write a single value after the colon)"),
        bad(
            "no-meters",
            "1:1: meters: no meters configured (list at least one meter under meters:, each with a gateway or serial device; see config.example.yml)"),
        bad(
            "poll-interval-zero",
            "3:20: meters[0].poll_interval: poll_interval must be longer than 0 (use e.g. 30s)"),
        bad(
            "port-quoted",
            "4:13: meters[0].gateway.port: expected a whole number, got '8899' (write digits only, without quotes or units)"),
        bad(
            "port-range",
            "4:13: meters[0].gateway.port: port 70000 is outside 1..65535 (use the gateway's port from 1 to 65535: often 502 in Modbus TCP mode, 4196 in Waveshare transparent mode)"),
        bad(
            "port-zero",
            "2:41: meters[0].gateway.port: port 0 is outside 1..65535 (use the gateway's port from 1 to 65535: often 502 in Modbus TCP mode, 4196 in Waveshare transparent mode)"),
        bad(
            "profile-empty",
            "3:14: meters[0].profile: profile is empty (remove the key to use wago-879-30xx, or give a profile name or file)"),
        bad(
            "request-pause-conflict",
            "6:14: meters[1].gateway.request_pause: request_pause 0s differs from 50ms of meter 'house' at meters[0] on the same gateway 192.168.2.10:8899 (the pause applies to the whole bus; give every meter on this gateway the same request_pause)"),
        bad(
            "request-pause-negative",
            "2:61: meters[0].gateway.request_pause: duration '-5ms' is negative (write a whole number and a unit: 500ms, 30s, 2m or 1h)"),
        bad(
            "same-gateway-default-unit",
            "4:5: meters[1].unit_id: unit id 1 on gateway 192.168.2.10:8899 is already used by meter 'house' at meters[0] (every meter on one RS485 bus needs its own Modbus address; check the address set on the meter)"),
        bad(
            "same-gateway-unit",
            "7:14: meters[1].unit_id: unit id 2 on gateway 192.168.2.10:8899 is already used by meter 'house' at meters[0] (every meter on one RS485 bus needs its own Modbus address; check the address set on the meter)"),
        bad(
            "serial-and-gateway",
            "4:13: meters[0].serial: a meter is read either through a gateway or through a serial device, not both (keep gateway: for an Ethernet gateway or serial: for a USB RS485 stick)"),
        bad(
            "serial-baud",
            "2:42: meters[0].serial.baud: baud rate 9601 is not a serial line speed (use the meter's setting: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200; the WAGO factory setting is 9600)"),
        bad(
            "serial-device-relative",
            "2:22: meters[0].serial.device: serial device 'ttyUSB0' is not an absolute path (give the full path, e.g. /dev/ttyUSB0)"),
        bad(
            "serial-framing-rtu",
            "2:56: meters[0].gateway.framing: framing rtu is for a serial line: use rtu-over-tcp for a gateway in transparent mode, or serial: {device: /dev/ttyUSB0} instead of gateway: for a USB RS485 stick"),
        bad(
            "serial-line-conflict",
            "6:42: meters[1].serial.baud: line settings 19200 8E1 differ from 9600 8E1 of meter 'house' at meters[0] on the same serial device /dev/ttyUSB0 (meters on one RS485 line share its speed and parity; give every meter on this device the same baud, parity and stop_bits, as set on the meters)"),
        bad(
            "serial-missing-device",
            "2:13: meters[0].serial.device: missing (give the stick's device, e.g. device: /dev/ttyUSB0; ls /dev/serial/by-id/ lists the sticks)"),
        bad(
            "serial-parity",
            "4:15: meters[0].serial.parity: unknown parity 'e' (use even, none or odd)"),
        bad(
            "serial-same-unit",
            "7:14: meters[1].unit_id: unit id 2 on serial device /dev/ttyUSB0 is already used by meter 'house' at meters[0] (every meter on one RS485 bus needs its own Modbus address; check the address set on the meter)"),
        bad(
            "serial-stop-bits",
            "2:47: meters[0].serial.stop_bits: stop_bits 0 is neither 1 nor 2 (use 1, the WAGO factory setting, or 2)"),
        bad(
            "serial-unknown-key",
            "2:36: meters[0].serial.data_bits: unknown key 'data_bits' (allowed keys: device, baud, parity, stop_bits, request_pause, proxy)"),
        bad(
            "status-fuse-amps",
            "4:14: status.fuse_amps: '3x35' is not a fuse rating in amperes; write one phase's main fuse, e.g. 35 for 3×35 A"),
        bad(
            "status-prometheus-url",
            "4:19: status.prometheus_url: 'prometheus:9090' is not an http(s) URL; write it like http://prometheus:9090 (in the stack) or http://localhost:9090"),
        bad(
            "syntax-indentation",
            "3:13: invalid YAML: mapping values are not allowed here (check the indentation, close every { and [, and quote values that contain ': ' or ' #')"),
        bad(
            "syntax-tab",
            "2:1: invalid YAML: a tab character where YAML allows only spaces (indent with spaces, not tabs)"),
        bad(
            "syntax",
            "4:12: invalid YAML: while parsing a flow mapping at 3:14: expected ',' or '}', but got : (check the indentation, close every { and [, and quote values that contain ': ' or ' #')"),
        bad(
            "timeout-not-shorter",
            "4:14: meters[0].timeout: timeout 5s is not shorter than poll_interval 5s (make timeout shorter than poll_interval, e.g. timeout: 2s with poll_interval: 30s)"),
        bad(
            "top-level-list",
            "1:1: top level: expected the settings listen, legacy_metrics, meters, probe and status as key: value lines, got a list (start the file with meters:, see config.example.yml)"),
        bad(
            "unit-id-huge",
            "3:14: meters[0].unit_id: number 99999999999 is out of range (write a small whole number; docs/configuration.md lists the allowed range)"),
        bad(
            "unit-id-range",
            "3:14: meters[0].unit_id: unit id 248 is outside 1..247 (give the device's Modbus address, 1 to 247; a WAGO meter's factory default is 1)"),
        bad(
            "unit-id-zero",
            "3:14: meters[0].unit_id: unit id 0 is outside 1..247 (give the device's Modbus address, 1 to 247; a WAGO meter's factory default is 1)"),
        bad(
            "unknown-key-meter",
            "4:5: meters[0].unitid: unknown key 'unitid' (did you mean 'unit_id'? allowed keys: name, profile, gateway, serial, unit_id, poll_interval, timeout, max_registers_per_request)"),
        bad(
            "unknown-key-no-suggestion",
            "6:7: meters[0].gateway.baud_rate: unknown key 'baud_rate' (allowed keys: host, port, framing, request_pause, proxy)"),
        bad(
            "unknown-key",
            "2:1: legacy_metric: unknown key 'legacy_metric' (did you mean 'legacy_metrics'? allowed keys: listen, legacy_metrics, meters, probe, status)"),
        bad(
            "unknown-profile",
            "3:14: meters[0].profile: profile 'profiles/missing.yaml' is not built in, and %DIR%/profiles/missing.yaml is not a readable file (use a built-in profile: wago-879-30xx; or the path of a profile file, relative to the config file's directory)"));
  }

  private static Arguments bad(String name, String expectedAfterFileName) {
    return Arguments.of(name, expectedAfterFileName);
  }

  private static Path resourceDirectory() {
    try {
      return Path.of(ConfigLoaderTest.class.getResource("/config/good.yml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
