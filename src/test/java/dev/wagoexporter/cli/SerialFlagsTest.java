package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.Parity;
import dev.wagoexporter.config.SerialConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run --serial DEVICE} and its line settings become the meter's serial bus. */
class SerialFlagsTest {
  private static BusConfig bus(String... args) throws ConfigException {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run.bus();
  }

  @Test
  void serialAloneIsTheWagoFactorySetting() throws ConfigException {
    assertThat(bus("--serial", "/dev/ttyUSB0"))
        .isEqualTo(SerialConfig.factoryDefault("/dev/ttyUSB0"));
  }

  @Test
  void lineSettingsComeFromTheirFlags() throws ConfigException {
    SerialConfig serial =
        (SerialConfig)
            bus(
                "--serial",
                "/dev/ttyUSB1",
                "--baud",
                "19200",
                "--parity",
                "none",
                "--stop-bits",
                "2");
    assertThat(serial.lineSettings()).isEqualTo("19200 8N2");
    assertThat(serial.parity()).isEqualTo(Parity.NONE);
  }

  @Test
  void aGatewayIsStillAGateway() throws ConfigException {
    assertThat(bus("--gateway", "192.168.2.10:8899")).isInstanceOf(GatewayConfig.class);
  }

  @Test
  void serialAndGatewayTogetherAreBadInputNamingBoth() {
    assertThatThrownBy(() -> bus("--serial", "/dev/ttyUSB0", "--gateway", "192.168.2.10:8899"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--serial /dev/ttyUSB0 and --gateway 192.168.2.10:8899 are both");
  }

  @Test
  void aBadLineSettingNamesItsFlag() {
    assertThatThrownBy(() -> bus("--serial", "/dev/ttyUSB0", "--baud", "9601"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--baud: baud rate 9601 is not a serial line speed");
    assertThatThrownBy(() -> bus("--serial", "/dev/ttyUSB0", "--stop-bits", "3"))
        .hasMessageStartingWith("--stop-bits: stop_bits 3 is neither 1 nor 2");
    assertThatThrownBy(() -> bus("--serial", "ttyUSB0"))
        .hasMessageStartingWith("--serial: serial device 'ttyUSB0' is not an absolute path");
  }

  @Test
  void aBadParityIsBadInputWithExitCode2() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.commandLine().execute("run", "--serial", "/dev/ttyUSB0", "--parity", "mark");
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualToIgnoringNewLines(
            "error: --parity: unknown parity 'mark' (use even, none or odd)");
  }
}
