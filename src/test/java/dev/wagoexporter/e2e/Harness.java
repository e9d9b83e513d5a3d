package dev.wagoexporter.e2e;

import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.config.ProbeConfig;
import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.poll.MeterPoller;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.sim.FaultInjector;
import dev.wagoexporter.sim.LineFaults;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatedMeter;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A simulated meter and an exporter polling it over real loopback sockets. */
final class Harness implements AutoCloseable {
  static final int UNIT = 2;

  /** A fixed instant: the simulated meter answers the same values on every request. */
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-06-15T18:30:00Z"), ZoneOffset.UTC);

  final Framing framing;
  final int port;
  MeterSimulator simulator;

  /** Breaks the simulator's line, also after {@link #restartSimulator()}. */
  final FaultInjector faults;

  final Exporter exporter;

  private Harness(
      Framing framing,
      int port,
      MeterSimulator simulator,
      FaultInjector faults,
      Exporter exporter) {
    this.framing = framing;
    this.port = port;
    this.simulator = simulator;
    this.faults = faults;
    this.exporter = exporter;
  }

  static Harness start(
      Framing framing, Duration pollInterval, Duration timeout, int maxRegisters, boolean legacy)
      throws Exception {
    return start(framing, pollInterval, timeout, maxRegisters, legacy, ProbeConfig.CONFIGURED_ONLY);
  }

  /** With {@code probe.allowed_targets} of the config file. */
  static Harness start(
      Framing framing,
      Duration pollInterval,
      Duration timeout,
      int maxRegisters,
      boolean legacy,
      ProbeConfig probe)
      throws Exception {
    var faults = new FaultInjector();
    MeterSimulator sim = startSimulator(framing, 0, faults);
    return new Harness(
        framing,
        sim.port(),
        sim,
        faults,
        startExporter(framing, sim.port(), pollInterval, timeout, maxRegisters, legacy, probe));
  }

  /**
   * A simulator whose values move only when the test moves {@code simulatorClock}, and an exporter
   * polling it every {@code pollInterval}.
   */
  static Harness startWithSimulatorClock(Clock simulatorClock, Duration pollInterval)
      throws Exception {
    var faults = new FaultInjector();
    MeterSimulator sim =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withFraming(Framing.TCP)
                .withPort(0)
                .withUnitIds(Set.of(UNIT))
                .withClock(simulatorClock),
            faults);
    return new Harness(
        Framing.TCP,
        sim.port(),
        sim,
        faults,
        startExporter(
            Framing.TCP,
            sim.port(),
            pollInterval,
            pollInterval.dividedBy(2),
            125,
            false,
            ProbeConfig.CONFIGURED_ONLY));
  }

  /**
   * A simulator whose values move only when the test moves {@code simulatorClock}, and an exporter
   * with the status page settings {@code status} polling it every {@code pollInterval}.
   */
  static Harness startWithStatus(Clock simulatorClock, Duration pollInterval, StatusConfig status)
      throws Exception {
    var faults = new FaultInjector();
    MeterSimulator sim =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withFraming(Framing.TCP)
                .withPort(0)
                .withUnitIds(Set.of(UNIT))
                .withClock(simulatorClock),
            faults);
    MeterConfig meter =
        new MeterConfig(
            "main",
            ProfileLoader.BUILT_IN,
            new GatewayConfig("127.0.0.1", sim.port(), Framing.TCP, Duration.ZERO),
            UNIT,
            pollInterval,
            pollInterval.dividedBy(2),
            125);
    ExporterConfig config =
        new ExporterConfig(
                new ListenAddress("127.0.0.1", FreePort.onLoopback()), false, List.of(meter))
            .withStatus(status);
    return new Harness(
        Framing.TCP, sim.port(), sim, faults, Exporter.start(config, TimeSource.system()));
  }

  /** An exporter whose gateway is not there yet. */
  static Harness withoutGateway(Framing framing, Duration pollInterval, Duration timeout)
      throws Exception {
    int port = FreePort.onLoopback();
    return new Harness(
        framing,
        port,
        null,
        new FaultInjector(),
        startExporter(
            framing, port, pollInterval, timeout, 125, false, ProbeConfig.CONFIGURED_ONLY));
  }

  /**
   * A simulator in {@code simulatorFraming} and an exporter that must find that framing by itself.
   */
  static Harness startAuto(Framing simulatorFraming) throws Exception {
    var faults = new FaultInjector();
    MeterSimulator sim = startSimulator(simulatorFraming, 0, faults);
    return new Harness(
        simulatorFraming,
        sim.port(),
        sim,
        faults,
        startExporter(
            Framing.AUTO,
            sim.port(),
            Duration.ofMillis(500),
            Duration.ofMillis(250),
            125,
            false,
            ProbeConfig.CONFIGURED_ONLY));
  }

  static MeterSimulator startSimulator(Framing framing, int port) throws IOException {
    return startSimulator(framing, port, LineFaults.NONE);
  }

  /** The simulator on a line that {@code faults} breaks. */
  static MeterSimulator startSimulator(Framing framing, int port, LineFaults faults)
      throws IOException {
    return MeterSimulator.start(
        SimulatorOptions.defaults()
            .withFraming(framing)
            .withPort(port)
            .withUnitIds(Set.of(UNIT))
            .withClock(FIXED),
        faults);
  }

  private static Exporter startExporter(
      Framing framing,
      int port,
      Duration interval,
      Duration timeout,
      int maxRegisters,
      boolean legacy,
      ProbeConfig probe)
      throws Exception {
    Duration effectiveTimeout =
        timeout.compareTo(interval.dividedBy(2)) < 0 ? timeout : interval.dividedBy(2);
    MeterConfig meter =
        new MeterConfig(
            "main",
            ProfileLoader.BUILT_IN,
            new GatewayConfig("127.0.0.1", port, framing, Duration.ZERO),
            UNIT,
            interval,
            effectiveTimeout,
            maxRegisters);
    return Exporter.start(
        new ExporterConfig(
            new ListenAddress("127.0.0.1", FreePort.onLoopback()),
            legacy,
            List.of(meter),
            WebConfig.NONE,
            probe),
        TimeSource.system());
  }

  SimulatedMeter meter() {
    return simulator.meter(UNIT);
  }

  MeterPoller poller() {
    return exporter.gateways().get(0).meters().get(0);
  }

  Scrape scrape() {
    return Scrape.of(exporter.httpPort());
  }

  /**
   * What the exporter must serve for the simulator's registers right now: every served point of the
   * profile, keyed as the text format prints it, computed from the simulator's own register values.
   */
  Map<String, Double> expectedValues(boolean legacy) {
    return expectedValues(exporter.meters().get(0).profile(), meter(), "main", legacy);
  }

  /**
   * What the exporter must serve for {@code simulated}'s registers when it polls it as {@code
   * meterName}.
   */
  static Map<String, Double> expectedValues(
      Profile profile, SimulatedMeter simulated, String meterName, boolean legacy) {
    Map<String, Double> expected = new TreeMap<>();
    for (MetricDefinition m : profile.served(legacy)) {
      for (RegisterPoint p : m.points()) {
        Map<String, String> labels = new TreeMap<>(p.labels());
        labels.put("meter", meterName);
        String key =
            m.name()
                + labels.entrySet().stream()
                    .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        expected.put(key, (double) simulated.floatAt(p.address()) * m.scale());
      }
    }
    return expected;
  }

  /** The device-value series of a scrape (health and info series left out). */
  static Map<String, Double> deviceValues(Scrape scrape, Set<String> keys) {
    Map<String, Double> values = new TreeMap<>();
    scrape
        .series()
        .forEach(
            (k, v) -> {
              if (keys.contains(k)) {
                values.put(k, v);
              }
            });
    return values;
  }

  void stopSimulator() {
    simulator.close();
  }

  void restartSimulator() throws IOException {
    simulator = startSimulator(framing, port, faults);
  }

  @Override
  public void close() {
    exporter.close();
    if (simulator != null) {
      simulator.close();
    }
  }
}
