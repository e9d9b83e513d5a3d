package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code proxy:} on a meter's line in the config file: read, and every mistake in one line. */
class LineProxiesTest {
  private static final Set<String> BUILT_IN = Set.of("wago-879-30xx");

  @TempDir Path dir;

  private ExporterConfig load(String yaml) throws ConfigException {
    try {
      return ConfigLoader.load(Files.writeString(dir.resolve("wago.yml"), yaml), BUILT_IN);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertError(String yaml, String afterFileName) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("wago.yml") + ":" + afterFileName);
  }

  @Test
  void aGatewayAndASerialLineEachGetTheirProxy() throws ConfigException {
    ExporterConfig config =
        load(
            """
            meters:
              - name: house
                gateway: {host: 192.168.2.10, port: 8899, framing: tcp,
                          proxy: {listen_address: ":5020", units: [5], writable_units: [5]}}
                unit_id: 2
              - name: shed
                gateway: {host: 192.168.2.10, port: 8899, framing: tcp}
                unit_id: 3
              - name: garage
                serial:
                  device: /dev/ttyUSB0
                  proxy: {listen_address: "127.0.0.1:5021", units: [7, 8]}
            """);
    assertThat(config.proxies())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                GatewayAddress.parse("192.168.2.10:8899"),
                new ProxyConfig(new ListenAddress("", 5020), Set.of(5), Set.of(5)),
                new SerialDevice("/dev/ttyUSB0"),
                new ProxyConfig(new ListenAddress("127.0.0.1", 5021), Set.of(7, 8), Set.of())));
  }

  @Test
  void withoutProxyKeysThereIsNoProxy() throws ConfigException {
    assertThat(load("meters:\n  - gateway: {host: 192.168.2.10, port: 502}\n").proxies()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bad address | proxy: {listen_address: "5020"} | 2:70: meters[0].gateway.proxy.listen_address: '5020' has no port (write [HOST]:PORT, e.g. :5020)
          port out of range | proxy: {listen_address: ":70000"} | 2:70: meters[0].gateway.proxy.listen_address: port 70000 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. :5020)
          no address | proxy: {units: [5]} | 2:53: meters[0].gateway.proxy.listen_address: missing (give where the other programs connect, e.g. listen_address: ":5020")
          unit 0 | proxy: {listen_address: ":5020", units: [5, 0]} | 2:90: meters[0].gateway.proxy.units[1]: unit id 0 is outside 1..247 (give the device's Modbus address, 1 to 247; a WAGO meter's factory default is 1)
          unit 248 | proxy: {listen_address: ":5020", writable_units: [248]} | 2:96: meters[0].gateway.proxy.writable_units[0]: unit id 248 is outside 1..247 (give the device's Modbus address, 1 to 247; a WAGO meter's factory default is 1)
          unit name | proxy: {listen_address: ":5020", units: [heatpump]} | 2:87: meters[0].gateway.proxy.units[0]: 'heatpump' is not a unit id (give the device's Modbus address, 1 to 247; a WAGO meter's factory default is 1)
          unknown key | proxy: {listen_address: ":5020", unit: [5]} | 2:79: meters[0].gateway.proxy.unit: unknown key 'unit' (did you mean 'units'? allowed keys: listen_address, units, writable_units)
          not a mapping | proxy: ":5020" | 2:53: meters[0].gateway.proxy: expected a mapping, got ':5020' (give the proxy as a mapping, e.g. proxy: {listen_address: ":5020", units: [5]})
          """)
  void aBadProxyIsNamedWhereItIsWritten(String name, String proxy, String error) {
    assertError(
        "meters:\n  - gateway: {host: 192.168.2.10, port: 502, " + proxy + "}\n    unit_id: 2\n",
        error);
  }

  @Test
  void aMeterCanNeverBeWritable() {
    assertError(
        """
        meters:
          - name: house
            gateway: {host: 192.168.2.10, port: 8899}
            unit_id: 2
          - name: heat
            gateway:
              host: 192.168.2.10
              port: 8899
              proxy: {listen_address: ":5020", writable_units: [5, 2]}
            unit_id: 3
        """,
        "9:60: meters[1].gateway.proxy.writable_units[1]: unit 2 is meter 'house', which the"
            + " exporter reads; a meter can never be writable through the proxy (remove 2 from"
            + " writable_units; the meter stays readable through the proxy)");
  }

  @Test
  void twoLinesCannotShareAProxyPort() {
    assertError(
        """
        meters:
          - name: house
            gateway: {host: 192.168.2.10, port: 8899, proxy: {listen_address: ":5020"}}
          - name: garage
            serial: {device: /dev/ttyUSB0, proxy: {listen_address: "127.0.0.1:5020"}}
        """,
        "5:60: meters[1].serial.proxy.listen_address: listen_address 127.0.0.1:5020 takes the"
            + " port of the proxy of meter 'house' at meters[0] on gateway 192.168.2.10:8899,"
            + " :5020 (each line's proxy needs its own port, e.g. :5021)");
  }

  @Test
  void metersOnOneLineCannotDisagreeAboutItsProxy() {
    assertError(
        """
        meters:
          - name: house
            gateway: {host: 192.168.2.10, port: 8899, proxy: {listen_address: ":5020", units: [5]}}
            unit_id: 2
          - name: shed
            gateway: {host: 192.168.2.10, port: 8899, proxy: {listen_address: ":5020", units: [6]}}
            unit_id: 3
        """,
        "6:54: meters[1].gateway.proxy: this proxy differs from the one on meter 'house' at"
            + " meters[0] on the same gateway 192.168.2.10:8899 (a line has one proxy: give it on"
            + " one meter of the line, or the same on each)");
  }

  @Test
  void theSameProxyRepeatedOnEachMeterOfALineIsOneProxy() throws ConfigException {
    ExporterConfig config =
        load(
            """
            meters:
              - name: house
                gateway: {host: 192.168.2.10, port: 8899, proxy: {listen_address: ":5020"}}
                unit_id: 2
              - name: shed
                gateway: {host: 192.168.2.10, port: 8899, proxy: {listen_address: ":5020"}}
                unit_id: 3
            """);
    assertThat(config.proxies()).hasSize(1);
  }
}
