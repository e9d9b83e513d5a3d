package dev.wagoexporter.e2e;

import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.proxy.ModbusProxy;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PtyLine;
import dev.wagoexporter.time.TimeSource;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A simulated line with the meter (unit 2) and the heat pump (unit 5), the exporter polling the
 * meter and offering the line's Modbus TCP proxy with the heat pump writable. {@link Framing#RTU}
 * is the serial case: the exporter opens a socat pseudo-terminal (the stand-in for a USB RS485
 * stick) bridged to the simulator's RTU-over-TCP framing.
 */
final class ProxiedLine implements AutoCloseable {
  static final int METER = 2;
  static final int HEAT_PUMP = 5;
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  final MeterSimulator sim;
  final Exporter exporter;
  final int proxyPort;
  private final PtyLine pty;

  private ProxiedLine(MeterSimulator sim, PtyLine pty, Exporter exporter, int proxyPort) {
    this.sim = sim;
    this.pty = pty;
    this.exporter = exporter;
    this.proxyPort = proxyPort;
  }

  static ProxiedLine start(Framing line, Path dir) throws Exception {
    return start(line, dir, UnaryOperator.identity());
  }

  /** {@code simulator} adds to the simulator's options (line timing, the gateway's mix-up). */
  static ProxiedLine start(Framing line, Path dir, UnaryOperator<SimulatorOptions> simulator)
      throws Exception {
    MeterSimulator sim =
        MeterSimulator.start(
            simulator.apply(
                SimulatorOptions.defaults()
                    .withFraming(line == Framing.RTU ? Framing.RTU_OVER_TCP : line)
                    .withUnitIds(Set.of(METER))
                    .withHeatPumpUnit(HEAT_PUMP)));
    try {
      return around(sim, line, dir);
    } catch (Exception | Error e) {
      sim.close();
      throw e;
    }
  }

  /**
   * The exporter and its proxy on a simulator already running (with the meter at {@link #METER});
   * closing the line closes the simulator too.
   */
  static ProxiedLine around(MeterSimulator sim, Framing line, Path dir) throws Exception {
    PtyLine pty = null;
    try {
      BusConfig bus;
      if (line == Framing.RTU) {
        pty = PtyLine.bridgedTo(sim.port(), dir);
        bus = SerialConfig.factoryDefault(pty.device().toString());
      } else {
        bus = new GatewayConfig("127.0.0.1", sim.port(), line, Duration.ZERO);
      }
      MeterConfig meter =
          new MeterConfig(
              "main",
              ProfileLoader.BUILT_IN,
              bus,
              METER,
              INTERVAL,
              TIMEOUT,
              MeterConfig.DEFAULT_MAX_REGISTERS_PER_REQUEST);
      int proxyPort = FreePort.onLoopback();
      ExporterConfig config =
          new ExporterConfig(
                  new ListenAddress("127.0.0.1", FreePort.onLoopback()), false, List.of(meter))
              .withProxy(
                  bus.address(),
                  new ProxyConfig(
                      new ListenAddress("127.0.0.1", proxyPort), Set.of(), Set.of(HEAT_PUMP)));
      return new ProxiedLine(sim, pty, Exporter.start(config, TimeSource.system()), proxyPort);
    } catch (Exception | Error e) {
      if (pty != null) {
        pty.close();
      }
      throw e;
    }
  }

  ModbusProxy proxy() {
    return exporter.proxies().get(0);
  }

  Scrape scrape() {
    return Scrape.of(exporter.httpPort());
  }

  /** A raw client connection to the proxy from {@code from}, a loopback address (127.x.y.z). */
  Socket connectFrom(String from) throws Exception {
    return new Socket(InetAddress.getLoopbackAddress(), proxyPort, InetAddress.getByName(from), 0);
  }

  @Override
  public void close() throws InterruptedException {
    exporter.close();
    if (pty != null) {
      pty.close();
    }
    sim.close();
  }
}
