package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ReadRequest;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.sim.FaultInjector;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PtyLine;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter reading the simulated meter over a serial line: a pseudo-terminal from socat (the
 * stand-in for a USB RS485 stick) whose other end carries the simulator's RTU frames. The exporter
 * opens the device as it opens /dev/ttyUSB0, through jSerialComm.
 */
class SerialEndToEndIT {
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(30));
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofMillis(250);

  @TempDir Path dir;

  private final FaultInjector faults = new FaultInjector();
  private MeterSimulator simulator;
  private PtyLine line;
  private Exporter exporter;

  @AfterEach
  void stop() throws InterruptedException {
    if (exporter != null) {
      exporter.close();
    }
    if (line != null) {
      line.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  private void startSimulatorAndLine() throws Exception {
    simulator = Harness.startSimulator(Framing.RTU_OVER_TCP, 0, faults);
    line = PtyLine.bridgedTo(simulator.port(), dir);
  }

  private void startExporter(Path device) throws Exception {
    MeterConfig meter =
        new MeterConfig(
            "main",
            ProfileLoader.BUILT_IN,
            SerialConfig.factoryDefault(device.toString()),
            Harness.UNIT,
            INTERVAL,
            TIMEOUT,
            MeterConfig.DEFAULT_MAX_REGISTERS_PER_REQUEST);
    exporter =
        Exporter.start(
            new ExporterConfig(
                new ListenAddress("127.0.0.1", FreePort.onLoopback()), false, List.of(meter)),
            TimeSource.system());
  }

  private Scrape scrape() {
    return Scrape.of(exporter.httpPort());
  }

  private Map<String, Double> expected() {
    return Harness.expectedValues(
        exporter.meters().get(0).profile(), simulator.meter(Harness.UNIT), "main", false);
  }

  @Test
  void everyValueIsReadExactlyOverTheSerialLineWithReadsOnly() throws Exception {
    startSimulatorAndLine();
    startExporter(line.device());
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);

    Scrape scrape = scrape();
    assertThat(ExporterEndToEndIT.deviceSeries(scrape)).isEqualTo(expected());
    assertThat(
            scrape.get(
                "wago_meter_info{firmware=\"2.18\",meter=\"main\",model=\"879-30xx 4PS\",serial=\"22091039\"}"))
        .isEqualTo(1.0);
    assertThat(exporter.gateways().get(0).connection().framing()).isEqualTo(Framing.RTU);
    assertThat(simulator.functionCodeCounts().keySet()).containsOnly(3);
    assertThat(simulator.writeAttempts()).isEmpty();
  }

  @Test
  void silenceGarbageBadCrcAndLateRepliesAreCountedAndSurvived() throws Exception {
    startSimulatorAndLine();
    startExporter(line.device());
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);
    Map<String, Double> expected = expected();
    faults.setDelay(TIMEOUT.multipliedBy(3));
    // each fault and the reasons it may be counted under: garbage breaks the frame (wrong unit id,
    // function code or CRC); a late reply is a timeout, and must never answer the next request
    Map<Fault, Set<String>> reasons =
        Map.of(
            Fault.SILENCE, Set.of("timeout"),
            Fault.GARBAGE, Set.of("crc", "mismatch"),
            Fault.BAD_CRC, Set.of("crc"),
            Fault.DELAY, Set.of("timeout"));
    for (Fault fault : new Fault[] {Fault.SILENCE, Fault.GARBAGE, Fault.BAD_CRC, Fault.DELAY}) {
      double before = reasons.get(fault).stream().mapToDouble(r -> scrape().errors(r)).sum();
      faults.inject(fault, 1);
      await(fault.name())
          .atMost(WAIT)
          .until(
              () -> {
                Scrape now = scrape();
                // never a wrong value, whatever the line does
                ExporterEndToEndIT.deviceSeries(now)
                    .forEach(
                        (series, value) ->
                            assertThat(value).as(series).isEqualTo(expected.get(series)));
                return reasons.get(fault).stream().mapToDouble(now::errors).sum() > before;
              });
      MeterState state = exporter.meters().get(0);
      await(fault.name() + " survived")
          .atMost(WAIT)
          .conditionEvaluationListener(
              c -> {
                if (!c.isSatisfied() && c.getRemainingTimeInMS() < 1000) {
                  System.err.println(
                      "still down after "
                          + fault
                          + ": "
                          + state.status().lastError()
                          + " "
                          + state.status().errors());
                }
              })
          .until(() -> scrape().up() == 1.0);
    }
    assertThat(ExporterEndToEndIT.deviceSeries(scrape())).isEqualTo(expected);
    assertThat(simulator.writeAttempts()).isEmpty();
  }

  @Test
  void aStickUnpluggedAndPluggedInAgainIsReadAgain() throws Exception {
    startSimulatorAndLine();
    startExporter(line.device());
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);

    line.unplug();
    await().atMost(WAIT).until(() -> scrape().up() == 0.0);
    assertThat(scrape().hasValues()).as("values vanish, they are never repeated").isFalse();
    assertThat(scrape().errors("connection")).isPositive();

    line.plugIn();
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);
    assertThat(ExporterEndToEndIT.deviceSeries(scrape())).isEqualTo(expected());
  }

  @Test
  void aStickMissingAtStartIsNotBadInputAndIsReadOnceItIsPluggedIn() throws Exception {
    simulator = Harness.startSimulator(Framing.RTU_OVER_TCP, 0);
    Path device = dir.resolve("ttyUSB0");
    startExporter(device);

    MeterState state = exporter.meters().get(0);
    await().atMost(WAIT).until(() -> scrape().errors("connection") > 0);
    assertThat(scrape().up()).isEqualTo(0.0);
    assertThat(state.status().lastError())
        .startsWith(device + ": no such device \u2014 is the stick plugged in?");

    line = PtyLine.bridgedTo(simulator.port(), dir);
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);
    assertThat(ExporterEndToEndIT.deviceSeries(scrape())).isEqualTo(expected());
  }

  @Test
  void closingTheConnectionEndsAReadWaitingOnASilentLine() throws Exception {
    startSimulatorAndLine();
    startExporter(line.device());
    await().atMost(WAIT).until(() -> scrape().up() == 1.0);
    var connection = exporter.gateways().get(0).connection();
    faults.injectUntilCleared(Fault.SILENCE);
    Thread reader =
        new Thread(
            () -> {
              try {
                connection.read(new ReadRequest(Harness.UNIT, 3, 0x5000, 2, Duration.ofMinutes(5)));
              } catch (Exception expectedFailure) {
                // the point: it returns
              }
            });
    reader.start();
    await().atMost(WAIT).until(() -> reader.getState() == Thread.State.RUNNABLE);
    connection.close();
    reader.join(WAIT.toMillis());
    assertThat(reader.isAlive()).as("a read of a 5-minute timeout ended by close()").isFalse();
  }
}
