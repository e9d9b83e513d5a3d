package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SerialConfigTest {
  @Test
  void theFactorySettingIs9600EvenParityOneStopBit() {
    SerialConfig wago = SerialConfig.factoryDefault("/dev/ttyUSB0");

    assertThat(wago.lineSettings()).isEqualTo("9600 8E1");
    assertThat(wago.bitsPerCharacter()).isEqualTo(11);
    assertThat(wago.address()).isEqualTo(new SerialDevice("/dev/ttyUSB0"));
    assertThat(wago.requestPause()).isZero();
  }

  @Test
  void aCharacterTakesItsStartDataParityAndStopBitsOnTheWire() {
    // 9600 8E1: 11 bits a character, 1.1458 ms; a 8-byte read request 9.17 ms
    SerialConfig wago = SerialConfig.factoryDefault("/dev/ttyUSB0");
    assertThat(wago.wireTime(8)).isEqualTo(Duration.ofNanos(9_166_667));
    // 19200 8N2: 11 bits too; 8N1: 10 bits
    assertThat(new SerialConfig("/dev/ttyUSB0", 19200, Parity.NONE, 2).bitsPerCharacter())
        .isEqualTo(11);
    assertThat(new SerialConfig("/dev/ttyUSB0", 19200, Parity.NONE, 1).wireTime(192))
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theFrameGapIsThreeAndAHalfCharactersUpTo19200BaudThen1750Microseconds() {
    assertThat(SerialConfig.factoryDefault("/dev/ttyUSB0").frameGap())
        .isEqualTo(Duration.ofNanos(4_010_417)); // 3.5 x 11 bits / 9600
    assertThat(new SerialConfig("/dev/ttyUSB0", 19200, Parity.EVEN, 1).frameGap())
        .isEqualTo(Duration.ofNanos(2_005_208));
    assertThat(new SerialConfig("/dev/ttyUSB0", 38400, Parity.EVEN, 1).frameGap())
        .isEqualTo(Duration.ofNanos(1_750_000));
    assertThat(new SerialConfig("/dev/ttyUSB0", 115200, Parity.NONE, 1).frameGap())
        .isEqualTo(Duration.ofNanos(1_750_000));
  }

  @Test
  void twoSpellingsOfOneDeviceAreTheSameBusKey() {
    assertThat(new SerialDevice(" /dev/ttyUSB0 ")).isEqualTo(new SerialDevice("/dev/ttyUSB0"));
    assertThat(new SerialDevice("/dev/ttyUSB0")).hasToString("/dev/ttyUSB0");
  }

  @Test
  void badLineSettingsNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> new SerialConfig("/dev/ttyUSB0", 9601, Parity.EVEN, 1))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("baud"))
        .hasMessageContaining("9601");
    assertThatThrownBy(() -> new SerialConfig("/dev/ttyUSB0", 9600, Parity.EVEN, 3))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("stop_bits"));
    assertThatThrownBy(() -> new SerialDevice("COM3"))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("device"))
        .hasMessageContaining("/dev/COM3");
    assertThatThrownBy(() -> Parity.parse("mark")).hasMessageContaining("even, none or odd");
  }
}
