package dev.wagoexporter.cli;

import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.modbus.Framing;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The exporter: polls the meters and serves their metrics until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Poll the meter(s) and serve Prometheus metrics (the default command).")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--gateway",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:WAGO_GATEWAY}",
      converter = Converters.GatewayConverter.class,
      description = "the Modbus gateway's address and port (env WAGO_GATEWAY)")
  @Nullable GatewayConfig gateway;

  @Option(
      names = "--framing",
      paramLabel = "tcp|rtu-over-tcp|auto",
      defaultValue = "${env:WAGO_FRAMING:-tcp}",
      converter = Converters.FramingConverter.class,
      description =
          "tcp: gateway in Modbus TCP (protocol conversion) mode; rtu-over-tcp: transparent mode; "
              + "auto: probe once (env WAGO_FRAMING, default ${DEFAULT-VALUE})")
  Framing framing;

  @Mixin SerialOptions serial;

  @Mixin MeterOptions options;

  @Override
  public Integer call() throws Exception {
    ExporterConfig config;
    try {
      config = options.resolve(bus());
    } catch (ConfigException e) {
      throw new UsageError(e.getMessage());
    }
    return Main.serveUntilStopped(config);
  }

  /** The gateway or the serial device of the flags; none when neither is given. */
  @Nullable BusConfig bus() throws ConfigException {
    if (serial.given() && gateway != null) {
      throw new ConfigException(
          "--serial "
              + serial.device
              + " and --gateway "
              + gateway.address()
              + " are both given (flags or env WAGO_SERIAL and WAGO_GATEWAY): a meter is read"
              + " through one of them; leave the other out");
    }
    if (serial.given()) {
      return serial.config();
    }
    return gateway == null ? null : gateway.withFraming(framing);
  }
}
