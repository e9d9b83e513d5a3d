package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenAddressTest {
  @ParameterizedTest
  @CsvSource({
    "':9100',          '',          9100, true",
    "127.0.0.1:9100,   127.0.0.1,   9100, false",
    "0.0.0.0:80,       0.0.0.0,     80,   false",
    "'[::1]:9100',     ::1,         9100, false",
    "'[::]:9101',      ::,          9101, false",
    "exporter.lan:9100, exporter.lan, 9100, false",
  })
  void parsesHostAndPort(String text, String host, int port, boolean allInterfaces) {
    ListenAddress address = ListenAddress.parse(text);

    assertThat(address).isEqualTo(new ListenAddress(host, port));
    assertThat(address.allInterfaces()).isEqualTo(allInterfaces);
    assertThat(ListenAddress.parse(address.toString())).isEqualTo(address);
  }

  @Test
  void printsAsWritten() {
    assertThat(ListenAddress.DEFAULT).hasToString(":9100");
    assertThat(new ListenAddress("::1", 9100)).hasToString("[::1]:9100");
    assertThat(new ListenAddress("127.0.0.1", 9100)).hasToString("127.0.0.1:9100");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "9100          | '9100' has no port (write [HOST]:PORT, e.g. :9100)",
        "\"\"            | address is empty (write [HOST]:PORT, e.g. :9100)",
        ":0            | port 0 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. :9100)",
        ":65536        | port 65536 is outside 1..65535 (use a TCP port from 1 to 65535, e.g. :9100)",
        ":http         | port 'http' in ':http' is not a number (write [HOST]:PORT, e.g. :9100)",
        "::1:9100      | '::1:9100' looks like an IPv6 address without brackets (put IPv6 hosts in brackets, e.g. [::1]:9100)",
        "[::1]         | '[::1]' has no port after the bracketed IPv6 host (write e.g. [::1]:9100)",
        "http://:9100  | 'http://:9100' is not a plain address (drop any scheme or path and write [HOST]:PORT, e.g. :9100)",
      })
  void rejectsBadAddressesSayingHowToWriteThem(String text, String message) {
    assertThatThrownBy(() -> ListenAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
