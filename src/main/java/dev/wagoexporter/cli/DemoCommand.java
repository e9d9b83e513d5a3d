package dev.wagoexporter.cli;

import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The exporter and a simulated meter in one process: try everything without hardware. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Run the exporter against a built-in simulated WAGO meter (no hardware needed).")
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Option(
      names = "--speed",
      paramLabel = "FACTOR",
      defaultValue = "${env:WAGO_SIM_SPEED:-1}",
      description =
          "how fast simulated time runs; 3600 makes an hour of energy per second (env WAGO_SIM_SPEED)")
  double speed;

  @Mixin MeterOptions options;

  @Override
  public Integer call() throws Exception {
    if (options.config != null) {
      throw new UsageError(
          "demo simulates one meter: use run --config to poll the meters of a config file");
    }
    MeterSimulator simulator =
        MeterSimulator.start(
            SimulatorOptions.defaults().withUnitIds(Set.of(options.unitId)).withSpeed(speed));
    ExporterConfig config;
    try {
      config =
          options.resolve(
              new GatewayConfig("127.0.0.1", simulator.port(), Framing.TCP, Duration.ZERO));
    } catch (ConfigException e) {
      simulator.close();
      throw new UsageError(e.getMessage());
    }
    LOG.info(
        "demo: simulated WAGO meter (unit {}) on 127.0.0.1:{}", options.unitId, simulator.port());
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    return Main.serveUntilStopped(config);
  }
}
