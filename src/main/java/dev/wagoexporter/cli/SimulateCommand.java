package dev.wagoexporter.cli;

import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.Parity;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.LineTiming;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wago-exporter simulate}: a gateway with simulated WAGO meters behind it, until the process
 * is killed.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Serve simulated WAGO 879-30xx meters (a household's moving values) as a Modbus gateway would.")
public final class SimulateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

  @Option(
      names = "--listen",
      paramLabel = "[HOST]:PORT",
      converter = Converters.ListenConverter.class,
      defaultValue = "${env:WAGO_SIM_LISTEN:-0.0.0.0:5020}",
      description =
          "Address to listen on; ':5020' means all interfaces (env WAGO_SIM_LISTEN, default ${DEFAULT-VALUE}).")
  ListenAddress listen;

  @Option(
      names = "--framing",
      paramLabel = "tcp|rtu-over-tcp",
      converter = Converters.SimulatedFramingConverter.class,
      defaultValue = "${env:WAGO_SIM_FRAMING:-tcp}",
      description =
          "tcp (gateway in Modbus TCP mode) or rtu-over-tcp (transparent gateway) (env WAGO_SIM_FRAMING, default ${DEFAULT-VALUE}).")
  Framing framing;

  @Option(
      names = "--unit-id",
      paramLabel = "ID",
      split = ",",
      defaultValue = "${env:WAGO_SIM_UNIT_ID:-1}",
      description =
          "Modbus id of a simulated meter; repeat or comma-separate for several (env WAGO_SIM_UNIT_ID, default ${DEFAULT-VALUE}).")
  List<Integer> unitIds;

  @Option(
      names = "--speed",
      paramLabel = "FACTOR",
      defaultValue = "${env:WAGO_SIM_SPEED:-1}",
      description =
          "Simulated time runs this much faster, e.g. 3600 = an hour a second (env WAGO_SIM_SPEED, default ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--baud",
      paramLabel = "BAUD",
      defaultValue = "${env:WAGO_SIM_BAUD:-0}",
      description =
          "Delay replies by their RS485 wire time at this baud rate, e.g. 9600; 0 = reply at once (env WAGO_SIM_BAUD, default ${DEFAULT-VALUE}).")
  int baud;

  @Option(
      names = "--parity",
      paramLabel = "even|none|odd",
      converter = Converters.ParityConverter.class,
      defaultValue = "${env:WAGO_SIM_PARITY:-even}",
      description =
          "Parity of the simulated line, 11 or 10 bits a byte (env WAGO_SIM_PARITY, default ${DEFAULT-VALUE}).")
  Parity parity;

  @Option(
      names = "--turnaround",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      defaultValue = "${env:WAGO_SIM_TURNAROUND:-0ms}",
      description =
          "Meter's think time before each reply, e.g. 20ms; used with --baud (env WAGO_SIM_TURNAROUND, default ${DEFAULT-VALUE}).")
  Duration turnaround;

  @Option(
      names = "--heat-pump-unit",
      paramLabel = "ID",
      defaultValue = "${env:WAGO_SIM_HEAT_PUMP_UNIT:-0}",
      description =
          "Also serve a heat pump (coils, input and holding registers, accepts writes) at this Modbus id, e.g. 5; 0 = none (env WAGO_SIM_HEAT_PUMP_UNIT, default ${DEFAULT-VALUE}).")
  int heatPumpUnit;

  @Option(
      names = "--mix-up-replies",
      defaultValue = "${env:WAGO_SIM_MIX_UP_REPLIES:-false}",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Behave like a shared gateway that mixes up its clients: each reply goes to the connection that sent the latest request (tcp framing only; env WAGO_SIM_MIX_UP_REPLIES, default ${DEFAULT-VALUE}).")
  boolean mixUpReplies;

  /** The simulator options these flags describe. */
  // the simulated household follows the local time of day (load, tariffs), as a real one does
  @SuppressWarnings("JavaTimeDefaultTimeZone")
  SimulatorOptions toOptions() {
    LineTiming line = baud == 0 ? null : new LineTiming(baud, parity, turnaround);
    return new SimulatorOptions(
        listen.allInterfaces() ? "0.0.0.0" : listen.host(),
        listen.port(),
        framing,
        new LinkedHashSet<>(unitIds),
        Clock.systemDefaultZone(),
        speed,
        line,
        heatPumpUnit == 0 ? OptionalInt.empty() : OptionalInt.of(heatPumpUnit),
        mixUpReplies);
  }

  @Override
  public Integer call() throws Exception {
    SimulatorOptions options;
    try {
      options = toOptions();
    } catch (IllegalArgumentException e) {
      throw new UsageError(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
    MeterSimulator simulator;
    try {
      simulator = MeterSimulator.start(options);
    } catch (java.io.IOException e) {
      throw new UsageError(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "simulator-shutdown"));
    LOG.info("serving {}", simulator);
    stopped.await();
    return 0;
  }
}
