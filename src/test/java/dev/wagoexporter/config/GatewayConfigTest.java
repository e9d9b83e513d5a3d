package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.modbus.Framing;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {
  @ParameterizedTest
  @CsvSource({
    "192.168.2.10:8899,   192.168.2.10, 8899, 192.168.2.10:8899",
    "' gw.local:502 ',    gw.local,     502,  gw.local:502",
    "GW.Local:502,        gw.local,     502,  gw.local:502",
    "'[fd00::10]:502',    fd00::10,     502,  '[fd00::10]:502'",
    "127.0.0.1:65535,     127.0.0.1,    65535, 127.0.0.1:65535",
  })
  void parsesTheGatewayFlagWithDefaultFramingAndNoPause(
      String text, String host, int port, String address) {
    GatewayConfig gateway = GatewayConfig.parseHostPort(text);

    assertThat(gateway).isEqualTo(new GatewayConfig(host, port, Framing.TCP, Duration.ZERO));
    assertThat(gateway.address()).hasToString(address);
    assertThat(GatewayConfig.parseHostPort(gateway.address().toString())).isEqualTo(gateway);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "192.168.2.10          | '192.168.2.10' has no port (write HOST:PORT, e.g. 192.168.2.10:502)",
        ":502                  | ':502' has no host (write HOST:PORT, e.g. 192.168.2.10:502)",
        "192.168.2.10:0        | port 0 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. 192.168.2.10:502)",
        "192.168.2.10:70000    | port 70000 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. 192.168.2.10:502)",
        "192.168.2.10:modbus   | port 'modbus' in '192.168.2.10:modbus' is not a number (write HOST:PORT, e.g. 192.168.2.10:502)",
        "fd00::10:502          | 'fd00::10:502' looks like an IPv6 address without brackets (put IPv6 hosts in brackets, e.g. [::1]:502)",
        "tcp://192.168.2.10:502 | 'tcp://192.168.2.10:502' is not a plain address (drop any scheme or path and write HOST:PORT, e.g. 192.168.2.10:502)",
        "gate way:502          | 'gate way:502' contains a space (write HOST:PORT, e.g. 192.168.2.10:502)",
      })
  void rejectsABadGatewayFlagSayingHowToWriteIt(String text, String message) {
    assertThatThrownBy(() -> GatewayConfig.parseHostPort(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void namesTheOffendingKeySoFlagsAndFileShareOneRule() {
    assertThatThrownBy(() -> new GatewayConfig("gw", 8899, Framing.TCP, Duration.ofMillis(-1)))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("request_pause"));
    assertThatThrownBy(() -> new GatewayConfig(" ", 8899, Framing.TCP, Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("host"));
    assertThatThrownBy(() -> new GatewayConfig("gw", 0, Framing.TCP, Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("port"));
  }

  @Test
  void theAddressIsTheEndpointWhateverTheFramingPauseOrSpelling() {
    GatewayConfig tcp = GatewayConfig.parseHostPort("[FD00::10]:502");
    GatewayConfig rtu =
        new GatewayConfig("fd00::10", 502, Framing.RTU_OVER_TCP, Duration.ofMillis(20));

    assertThat(tcp.address()).isEqualTo(rtu.address()).hasSameHashCodeAs(rtu.address());
    assertThat(tcp.address()).isEqualTo(new GatewayAddress("[fd00::10]", 502));
    assertThat(tcp.address()).isNotEqualTo(GatewayAddress.parse("[fd00::10]:503"));
    assertThat(tcp.withFraming(Framing.AUTO).framing()).isEqualTo(Framing.AUTO);
    assertThat(tcp.withFraming(Framing.AUTO).address()).hasToString("[fd00::10]:502");
  }
}
