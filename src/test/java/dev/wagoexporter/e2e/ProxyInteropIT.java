package dev.wagoexporter.e2e;

import static dev.wagoexporter.e2e.ProxiedLine.HEAT_PUMP;
import static dev.wagoexporter.e2e.ProxiedLine.METER;
import static dev.wagoexporter.sim.SimulatedHeatPump.ENERGY_STATE;
import static dev.wagoexporter.sim.SimulatedHeatPump.FLOW_TEMPERATURE;
import static dev.wagoexporter.sim.SimulatedHeatPump.POWER;
import static dev.wagoexporter.sim.SimulatedHeatPump.TARGET_TEMPERATURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.proxy.ProxyCounters;
import dev.wagoexporter.sim.SimulatedHeatPump;
import dev.wagoexporter.sim.WriteAttempt;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.LibmodbusProgram;
import dev.wagoexporter.testsupport.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Independent Modbus TCP clients through the exporter's proxy while the exporter polls the meter,
 * in each framing of the line (Modbus TCP, RTU over TCP, and a serial line: a socat pseudo-terminal
 * standing in for a USB RS485 stick): Debian's python3-pymodbus, a libmodbus program and mbpoll,
 * the same clients HeatPumpInteropIT points straight at the simulator, read the heat pump exactly
 * and write it; their writes to the meter are refused by the proxy with exception 01 and never
 * reach the line; the meter's polls keep their schedule throughout.
 */
class ProxyInteropIT {
  private static final Duration RUN = Timeouts.scaled(Duration.ofSeconds(30));
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(30));
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Pattern CLIENT_LINE =
      Pattern.compile("^(input|holding|coil) (\\d+) (\\d+)$", Pattern.MULTILINE);
  private static final Pattern MBPOLL_VALUE =
      Pattern.compile("^\\[(\\d+)]:\\s+(-?\\d+)", Pattern.MULTILINE);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP", "RTU"})
  void pymodbusLibmodbusAndMbpollReadAndWriteTheHeatPumpThroughTheProxy(Framing framing)
      throws Exception {
    ExternalTool python = ExternalTool.debianPython3("python3-pymodbus");
    Path libmodbusClient =
        LibmodbusProgram.compile(ROOT.resolve("src/test/resources/sim/heat_pump_client.c"), dir);
    String mbpoll = ExternalTool.require("mbpoll", "mbpoll").path().toString();
    try (ProxiedLine line = ProxiedLine.start(framing, dir)) {
      SimulatedHeatPump pump = line.sim.heatPump(HEAT_PUMP);
      // values the test chose, so a client that printed the defaults would fail
      pump.setInputRegister(FLOW_TEMPERATURE, 361);
      pump.setHoldingRegister(ENERGY_STATE, 2);
      pump.setCoil(3, true);
      pump.setCoil(POWER, true);
      await().atMost(WAIT).until(() -> line.scrape().up() == 1.0);
      PollWatch polls = new PollWatch(line);
      String port = String.valueOf(line.proxyPort);

      Map<String, Integer> expected = expectedReads(pump);
      ExternalTool.Result py =
          python.run(
              dir,
              List.of(),
              RUN,
              ROOT.resolve("src/test/resources/sim/heat_pump_client.py").toString(),
              port,
              String.valueOf(HEAT_PUMP),
              String.valueOf(METER));
      assertThat(py.exitCode()).as(py.output()).isZero();
      assertThat(clientReads(py.output())).isEqualTo(expected);
      assertThat(py.output()).contains("written").contains("meter refused: exception 1");
      assertWrites(line, 1, py.output());

      pump.setCoil(POWER, true);
      expected = expectedReads(pump);
      ExternalTool.Result c =
          new ExternalTool(libmodbusClient)
              .run(
                  dir,
                  List.of(),
                  RUN,
                  "tcp",
                  port,
                  String.valueOf(HEAT_PUMP),
                  String.valueOf(METER));
      assertThat(c.exitCode()).as(c.output()).isZero();
      assertThat(clientReads(c.output())).isEqualTo(expected);
      assertThat(c.output()).contains("written").contains("meter refused: illegal function");
      assertWrites(line, 2, c.output());

      pump.setCoil(POWER, true);
      List<String> target = List.of("-m", "tcp", "-p", port, "127.0.0.1");
      List<Integer> input = mbpollRead(mbpoll, target, "3", 14);
      List<Integer> holding = mbpollRead(mbpoll, target, "4", 10);
      List<Integer> coils = mbpollRead(mbpoll, target, "0", 4);
      for (int i = 0; i < 14; i++) {
        assertThat(input.get(i)).as("input %d", i).isEqualTo(pump.inputRegister(i));
      }
      for (int i = 0; i < 10; i++) {
        assertThat(holding.get(i)).as("holding %d", i).isEqualTo(pump.holdingRegister(i));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(coils.get(i)).as("coil %d", i).isEqualTo(pump.coil(i) ? 1 : 0);
      }
      String writes =
          mbpoll(mbpoll, target, HEAT_PUMP, List.of("-t", "0", "-r", "1"), "0")
              + mbpoll(mbpoll, target, HEAT_PUMP, List.of("-t", "4", "-r", "3"), "420");
      ExternalTool.Result refused =
          ExternalTool.runToEnd(
              new ProcessBuilder(
                  mbpollCommand(
                      mbpoll,
                      target,
                      METER,
                      List.of("-t", "4", "-r", String.valueOf(0x4003 + 1)),
                      "10")),
              RUN);
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("Illegal function");
      assertWrites(line, 3, writes + refused.output());

      polls.assertPollsOnTime();
      assertThat(line.proxy().counters().requests())
          .containsEntry(new ProxyCounters.Key(METER, 6, "refused_write"), 3L)
          .containsEntry(new ProxyCounters.Key(HEAT_PUMP, 5, "ok"), 3L)
          .containsEntry(new ProxyCounters.Key(HEAT_PUMP, 6, "ok"), 3L);
    }
  }

  /** "input 3" -> 361 etc.: every value the heat pump holds before a client writes. */
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

  /**
   * After {@code clients} clients: each client's two writes arrived at the heat pump, none at the
   * meter (the proxy refused them before the line).
   */
  private static void assertWrites(ProxiedLine line, int clients, String output) {
    SimulatedHeatPump pump = line.sim.heatPump(HEAT_PUMP);
    assertThat(pump.coil(POWER)).as(output).isFalse();
    assertThat(pump.holdingRegister(TARGET_TEMPERATURE)).as(output).isEqualTo(420);
    List<WriteAttempt> expected = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      expected.add(new WriteAttempt(HEAT_PUMP, 5, POWER, List.of(0), true));
      expected.add(new WriteAttempt(HEAT_PUMP, 6, TARGET_TEMPERATURE, List.of(420), true));
    }
    assertThat(line.sim.writesTo(HEAT_PUMP)).as(output).containsExactlyElementsOf(expected);
    assertThat(line.sim.writesTo(METER)).as(output).isEmpty();
    assertThat(line.sim.meter(METER).registerAt(0x4003)).isEqualTo(METER);
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

  /** mbpoll's order: options, then the host, then the values to write (if any). */
  private static List<String> mbpollCommand(
      String mbpoll, List<String> target, int unit, List<String> options, String... values) {
    List<String> command = new ArrayList<>(List.of(mbpoll, "-a", String.valueOf(unit), "-o", "5"));
    command.addAll(options);
    command.addAll(target);
    command.addAll(List.of(values));
    return command;
  }
}
