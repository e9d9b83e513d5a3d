package dev.wagoexporter.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.ModbusReadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hints of {@code check --serial}: there is no gateway on a serial line to blame. */
class CheckHintsTest {
  @ParameterizedTest
  @EnumSource(
      value = FaultReason.class,
      names = {"TIMEOUT", "CRC", "MISMATCH", "CONNECTION"})
  void aSerialLineHintNeverBlamesAGateway(FaultReason failure) {
    String hint =
        CheckHints.silentOnSerial(
            2, new ModbusReadException(failure, "/dev/ttyUSB0: no reply"), "19200 8N1");

    assertThat(hint).isNotBlank().doesNotContainIgnoringCase("gateway");
  }

  @Test
  void aSilentMeterOnASerialLineNamesTheUnitTheSettingsAndTheWiring() {
    String hint =
        CheckHints.silentOnSerial(
            5, new ModbusReadException(FaultReason.TIMEOUT, "no reply"), "19200 8N1");

    assertThat(hint)
        .contains("no meter answers at unit 5 at 19200 8N1")
        .contains("--scan-units 1-10")
        .contains("A to A, B to B")
        .contains("WAGO default 9600 8E1");
  }

  @Test
  void aStickThatCannotBeOpenedGetsTheHintForItsReason() {
    assertThat(unopened("/dev/ttyUSB0: permission denied \u2014 ...")).contains("dialout");
    assertThat(unopened("/dev/ttyUSB0: in use by another program")).contains("only one master");
    assertThat(unopened("/dev/ttyUSB0: no such device \u2014 is the stick plugged in?"))
        .contains("plug it in");
  }

  private static String unopened(String message) {
    return CheckHints.serialUnopened(new ModbusReadException(FaultReason.CONNECTION, message));
  }
}
