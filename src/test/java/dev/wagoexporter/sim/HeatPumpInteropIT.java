package dev.wagoexporter.sim;

import static dev.wagoexporter.sim.SimulatedHeatPump.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.LibmodbusProgram;
import dev.wagoexporter.testsupport.PtyLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Independent Modbus masters against the simulated line (meter at 2, heat pump at 5), no exporter
 * in between: mbpoll (Debian package mbpoll), a python3-pymodbus script and a libmodbus program
 * (libmodbus-dev, compiled here with gcc) read the heat pump's tables exactly, write its power coil
 * and target temperature, which the simulator then reports, and are refused when they write to the
 * meter. The serial cases run over a socat pseudo-terminal (the stand-in for a USB RS485 stick)
 * bridged to the simulator's RTU-over-TCP framing.
 */
class HeatPumpInteropIT {
  private static final int METER = 2;
  private static final int HEAT_PUMP = 5;
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Pattern CLIENT_LINE =
      Pattern.compile("^(input|holding|coil) (\\d+) (\\d+)$", Pattern.MULTILINE);
  private static final Pattern MBPOLL_VALUE =
      Pattern.compile("^\\[(\\d+)]:\\s+(-?\\d+)", Pattern.MULTILINE);

  @TempDir Path dir;

  private static MeterSimulator start(Framing framing) throws Exception {
    MeterSimulator sim =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withFraming(framing)
                .withUnitIds(Set.of(METER))
                .withHeatPumpUnit(HEAT_PUMP));
    // values the test chose, so a client that printed the defaults would fail
    sim.heatPump(HEAT_PUMP).setInputRegister(FLOW_TEMPERATURE, 361);
    sim.heatPump(HEAT_PUMP).setHoldingRegister(ENERGY_STATE, 2);
    sim.heatPump(HEAT_PUMP).setCoil(3, true);
    return sim;
  }

  /** "input 3" -> 361 etc.: every value the heat pump holds before any write. */
  private static Map<String, Integer> expectedReads(SimulatedHeatPump pump) {
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 14; i++) {
      expected.put("input " + i, pump.inputRegister(i));
    }
    for (int i = 0; i < 10; i++) {
      expected.put("holding " + i, pump.holdingRegister(i));
    }
    for (int i = 0; i < 4; i++) {
      expected.put("coil " + i, pump.coil(i) ? 1 : 0);
    }
    return expected;
  }

  private static Map<String, Integer> clientReads(String output) {
    Map<String, Integer> reads = new HashMap<>();
    Matcher m = CLIENT_LINE.matcher(output);
    while (m.find()) {
      reads.put(m.group(1) + " " + m.group(2), Integer.parseInt(m.group(3)));
    }
    return reads;
  }

  /** What every client here writes, and the one write it tries on the meter. */
  private static void assertWritesArrivedAtTheHeatPumpOnly(MeterSimulator sim, String output) {
    SimulatedHeatPump pump = sim.heatPump(HEAT_PUMP);
    assertThat(pump.coil(POWER)).as(output).isFalse();
    assertThat(pump.holdingRegister(TARGET_TEMPERATURE)).as(output).isEqualTo(420);
    assertThat(sim.writesTo(HEAT_PUMP))
        .as(output)
        .containsExactly(
            new WriteAttempt(HEAT_PUMP, 5, POWER, List.of(0), true),
            new WriteAttempt(HEAT_PUMP, 6, TARGET_TEMPERATURE, List.of(420), true));
    assertThat(sim.writesTo(METER))
        .as(output)
        .containsExactly(new WriteAttempt(METER, 6, 0x4003, List.of(10), false));
    assertThat(sim.meter(METER).registerAt(0x4003)).isEqualTo(METER);
  }

  @Test
  void pymodbusReadsAndWritesTheHeatPumpAndIsRefusedByTheMeter() throws Exception {
    ExternalTool python = ExternalTool.debianPython3("python3-pymodbus");
    try (var sim = start(Framing.TCP)) {
      Map<String, Integer> expected = expectedReads(sim.heatPump(HEAT_PUMP));
      ExternalTool.Result result =
          python.run(
              dir,
              List.of(),
              RUN,
              ROOT.resolve("src/test/resources/sim/heat_pump_client.py").toString(),
              String.valueOf(sim.port()),
              String.valueOf(HEAT_PUMP),
              String.valueOf(METER));
      assertThat(result.exitCode())
          .as("%s (needs Debian's python3-pymodbus)", result.output())
          .isZero();
      assertThat(clientReads(result.output())).isEqualTo(expected);
      assertThat(result.output()).contains("written").contains("meter refused: exception 1");
      assertWritesArrivedAtTheHeatPumpOnly(sim, result.output());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void libmodbusReadsAndWritesTheHeatPumpAndIsRefusedByTheMeter(Framing framing) throws Exception {
    Path client =
        LibmodbusProgram.compile(ROOT.resolve("src/test/resources/sim/heat_pump_client.c"), dir);
    try (var sim = start(framing);
        var line = framing == Framing.TCP ? null : PtyLine.bridgedTo(sim.port(), dir)) {
      Map<String, Integer> expected = expectedReads(sim.heatPump(HEAT_PUMP));
      String where = line == null ? String.valueOf(sim.port()) : line.device().toString();
      ExternalTool.Result result =
          new ExternalTool(client)
              .run(
                  dir,
                  List.of(),
                  RUN,
                  framing == Framing.TCP ? "tcp" : "rtu",
                  where,
                  String.valueOf(HEAT_PUMP),
                  String.valueOf(METER));
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(clientReads(result.output())).isEqualTo(expected);
      assertThat(result.output()).contains("written").contains("meter refused: illegal function");
      assertWritesArrivedAtTheHeatPumpOnly(sim, result.output());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void mbpollReadsAndWritesTheHeatPumpAndIsRefusedByTheMeter(Framing framing) throws Exception {
    String mbpoll = ExternalTool.require("mbpoll", "mbpoll").path().toString();
    try (var sim = start(framing);
        var line = framing == Framing.TCP ? null : PtyLine.bridgedTo(sim.port(), dir)) {
      SimulatedHeatPump pump = sim.heatPump(HEAT_PUMP);
      List<String> target =
          line == null
              ? List.of("-m", "tcp", "-p", String.valueOf(sim.port()), "127.0.0.1")
              : List.of("-m", "rtu", "-b", "9600", "-P", "even", line.device().toString());

      // -t 3 input registers, -t 4 holding registers, -t 0 coils; -r is 1-based
      List<Integer> input = mbpollRead(mbpoll, target, "3", 14);
      for (int i = 0; i < 14; i++) {
        assertThat(input.get(i)).as("input %d", i).isEqualTo(pump.inputRegister(i));
      }
      List<Integer> holding = mbpollRead(mbpoll, target, "4", 10);
      for (int i = 0; i < 10; i++) {
        assertThat(holding.get(i)).as("holding %d", i).isEqualTo(pump.holdingRegister(i));
      }
      List<Integer> coils = mbpollRead(mbpoll, target, "0", 4);
      for (int i = 0; i < 4; i++) {
        assertThat(coils.get(i)).as("coil %d", i).isEqualTo(pump.coil(i) ? 1 : 0);
      }

      String coilWrite = mbpoll(mbpoll, target, HEAT_PUMP, List.of("-t", "0", "-r", "1"), "0");
      String registerWrite =
          mbpoll(mbpoll, target, HEAT_PUMP, List.of("-t", "4", "-r", "3"), "420");
      List<String> meterWrite =
          mbpollCommand(
              mbpoll, target, METER, List.of("-t", "4", "-r", String.valueOf(0x4003 + 1)), "10");
      ExternalTool.Result refused = ExternalTool.runToEnd(new ProcessBuilder(meterWrite), RUN);
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("Illegal function");

      assertWritesArrivedAtTheHeatPumpOnly(sim, coilWrite + registerWrite + refused.output());
    }
  }

  private static List<Integer> mbpollRead(
      String mbpoll, List<String> target, String type, int count) {
    String output =
        mbpoll(mbpoll, target, HEAT_PUMP, List.of("-t", type, "-r", "1", "-c", "" + count, "-1"));
    List<Integer> values = new ArrayList<>();
    Matcher m = MBPOLL_VALUE.matcher(output);
    while (m.find()) {
      values.add(Integer.parseInt(m.group(2)) & 0xFFFF);
    }
    assertThat(values).as(output).hasSize(count);
    return values;
  }

  private static String mbpoll(
      String mbpoll, List<String> target, int unit, List<String> options, String... values) {
    ExternalTool.Result result =
        ExternalTool.runToEnd(
            new ProcessBuilder(mbpollCommand(mbpoll, target, unit, options, values)), RUN);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  /** mbpoll's order: options, then the host or device, then the values to write (if any). */
  private static List<String> mbpollCommand(
      String mbpoll, List<String> target, int unit, List<String> options, String... values) {
    List<String> command = new ArrayList<>(List.of(mbpoll, "-a", String.valueOf(unit), "-o", "5"));
    command.addAll(options);
    command.addAll(target);
    command.addAll(List.of(values));
    return command;
  }
}
