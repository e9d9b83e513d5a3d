package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.LineTiming;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandIT {

  private static SimulatorOptions parse(String... args) {
    var command = new SimulateCommand();
    new CommandLine(command).parseArgs(args);
    return command.toOptions();
  }

  @Test
  void defaultsServeUnitOneOverModbusTcpOnAllInterfaces() {
    SimulatorOptions o = parse();
    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.port()).isEqualTo(5020);
    assertThat(o.framing()).isEqualTo(Framing.TCP);
    assertThat(o.unitIds()).containsExactly(1);
    assertThat(o.speed()).isEqualTo(1.0);
    assertThat(o.lineTiming()).isNull();
    assertThat(o.heatPumpUnit()).isEmpty();
    assertThat(o.mixUpReplies()).isFalse();
  }

  @Test
  void aHeatPumpAndMixedUpRepliesAreSwitchedOnByFlag() {
    SimulatorOptions o = parse("--unit-id", "2", "--heat-pump-unit", "5", "--mix-up-replies");
    assertThat(o.unitIds()).containsExactly(2);
    assertThat(o.heatPumpUnit()).hasValue(5);
    assertThat(o.busUnitIds()).containsExactly(2, 5);
    assertThat(o.mixUpReplies()).isTrue();
    assertThat(parse("--mix-up-replies=false").mixUpReplies()).isFalse();
  }

  @Test
  void flagsDescribeTheGatewayAndTheLine() {
    SimulatorOptions o =
        parse(
            "--listen",
            "127.0.0.1:15999",
            "--framing",
            "rtu-over-tcp",
            "--unit-id",
            "2,3",
            "--unit-id",
            "9",
            "--speed",
            "3600",
            "--baud",
            "9600",
            "--parity",
            "none",
            "--turnaround",
            "20ms");
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.framing()).isEqualTo(Framing.RTU_OVER_TCP);
    assertThat(o.unitIds()).containsExactly(2, 3, 9);
    assertThat(o.speed()).isEqualTo(3600);
    assertThat(o.lineTiming())
        .isEqualTo(
            new LineTiming(9600, dev.wagoexporter.config.Parity.NONE, Duration.ofMillis(20)));
    assertThat(parse("--listen", ":1502").host()).isEqualTo("0.0.0.0");
  }

  @Test
  void aHeatPumpOnAMetersIdOrMixedUpRtuRepliesAreRefused() {
    // call() turns these into a usage error (exit 2) with the same message
    assertThatThrownBy(() -> parse("--unit-id", "5", "--heat-pump-unit", "5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heat pump unit id 5 is also a meter's");
    assertThatThrownBy(() -> parse("--heat-pump-unit", "300"))
        .hasMessage("heat pump: unit id 300 is outside 1..247 (" + UnitIds.FIX + ")");
    assertThatThrownBy(() -> parse("--framing", "rtu-over-tcp", "--mix-up-replies"))
        .hasMessageContaining("mixed-up replies need framing tcp");
  }

  @Test
  void badFlagsGiveOneClearLine() {
    assertThat(errorOf("--listen", "5020")).contains("'5020' has no port");
    assertThat(errorOf("--framing", "auto")).contains("use tcp or rtu-over-tcp, not auto");
    assertThat(errorOf("--parity", "mark")).contains("unknown parity 'mark'");
    assertThat(errorOf("--turnaround", "fast")).contains("'fast'").contains("500ms, 30s, 2m or 1h");
  }

  @Test
  void theParsedOptionsStartAServingSimulator() throws Exception {
    int port = FreePort.onLoopback();
    try (var sim = MeterSimulator.start(parse("--listen", "127.0.0.1:" + port, "--unit-id", "4"))) {
      assertThat(sim.port()).isPositive();
      assertThat(sim.options().unitIds()).isEqualTo(Set.of(4));
      assertThat(sim.meter(4).registerAt(0x4003)).isEqualTo(4);
    }
  }

  private static String errorOf(String... args) {
    var err = new StringWriter();
    var cl = new CommandLine(new SimulateCommand()).setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertThat(code).isEqualTo(2);
    return err.toString().lines().findFirst().orElse("");
  }
}
