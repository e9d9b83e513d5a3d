package dev.wagoexporter.cli;

import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ListenException;
import dev.wagoexporter.logging.LogFormat;
import dev.wagoexporter.logging.LogLevel;
import dev.wagoexporter.logging.Logging;
import dev.wagoexporter.profile.ProfileException;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point: wires the subcommands; {@code run} is the default. */
@Command(
    name = "wago-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    usageHelpWidth = Main.HELP_WIDTH,
    description = "Prometheus exporter for WAGO 879-30xx energy meters behind a Modbus gateway.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      CheckCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Help texts are laid out for an 80-column terminal. */
  static final int HELP_WIDTH = 80;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:WAGO_LOG_LEVEL}",
      converter = Converters.LogLevelConverter.class,
      description = "debug, info, warn or error (env WAGO_LOG_LEVEL, default info)")
  void logLevel(LogLevel level) {
    if (level != null) {
      Logging.setLevel(level);
    }
  }

  @Option(
      names = "--log.format",
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:WAGO_LOG_FORMAT}",
      converter = Converters.LogFormatConverter.class,
      description = "logfmt or json, one line per event (env WAGO_LOG_FORMAT, default logfmt)")
  void logFormat(LogFormat format) {
    if (format != null) {
      Logging.setFormat(format);
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(withDefaultCommand(args)));
  }

  /**
   * The command line with one-line errors for bad flags and environment variables (exit code 2), as
   * for a bad config file.
   */
  public static CommandLine commandLine() {
    return withErrorHandling(new CommandLine(new Main()));
  }

  /** One-line errors and exit code 2 for bad input, on {@code cl} and its subcommands. */
  static CommandLine withErrorHandling(CommandLine cl) {
    // one wording for a bad number or boolean, whether from a flag, a variable or the file
    cl.registerConverter(Integer.class, new Converters.WholeNumberConverter());
    cl.registerConverter(int.class, new Converters.WholeNumberConverter());
    cl.registerConverter(Double.class, new Converters.NumberConverter());
    cl.registerConverter(double.class, new Converters.NumberConverter());
    cl.registerConverter(Boolean.class, new Converters.BooleanConverter());
    cl.registerConverter(boolean.class, new Converters.BooleanConverter());
    cl.setUsageHelpWidth(HELP_WIDTH);
    cl.setUsageHelpLongOptionsMaxWidth(30);
    // a full synopsis of a dozen options wraps in the middle of HOST:PORT at 80 columns
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage().abbreviateSynopsis(true);
    }
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("error: " + FlagErrors.describe(ex, args));
          err.flush();
          return ExitCode.BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UsageError) {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + ex.getMessage());
            err.flush();
            return ExitCode.BAD_INPUT;
          }
          throw ex;
        });
    return cl;
  }

  /** {@code wago-exporter --gateway ...} means {@code wago-exporter run --gateway ...}. */
  static String[] withDefaultCommand(String[] args) {
    boolean startsWithFlag =
        args.length == 0
            || (args[0].startsWith("-")
                && !args[0].equals("--help")
                && !args[0].equals("-h")
                && !args[0].equals("--version")
                && !args[0].equals("-V"));
    if (!startsWithFlag) {
      return args;
    }
    String[] withRun = new String[args.length + 1];
    withRun[0] = "run";
    System.arraycopy(args, 0, withRun, 1, args.length);
    return withRun;
  }

  /** Starts the exporter and blocks until the process is stopped (SIGTERM from Docker, Ctrl-C). */
  static int serveUntilStopped(ExporterConfig config) throws Exception {
    checkResolvable(config.listen());
    Exporter exporter;
    try {
      exporter = Exporter.start(config, TimeSource.system());
    } catch (ProfileException e) {
      throw new UsageError(e.getMessage());
    } catch (ListenException e) {
      throw new UsageError(e.getMessage());
    } catch (IOException e) {
      throw new UsageError("cannot listen on " + config.listen() + ": " + e.getMessage());
    }
    LOG.atInfo()
        .addKeyValue("version", Version.current())
        .addKeyValue("listen", config.listen())
        .log(
            "wago-exporter {} serving {}://{}/metrics for {} meter(s) on {} gateway(s)",
            Version.current(),
            exporter.httpScheme(),
            config.listen(),
            exporter.meters().size(),
            exporter.gateways().size());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long start = System.nanoTime();
                  LOG.info("stopping: signal received");
                  exporter.close();
                  LOG.info(
                      "wago-exporter stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return ExitCode.OK;
  }

  /** A listen host that does not resolve is bad input, said in one line before anything starts. */
  private static void checkResolvable(ListenAddress listen) {
    if (listen.allInterfaces()) {
      return;
    }
    try {
      InetAddress.getByName(listen.host());
    } catch (UnknownHostException e) {
      throw new UsageError(
          "cannot listen on "
              + listen
              + ": the host '"
              + listen.host()
              + "' does not resolve (give an address of this machine, e.g. 127.0.0.1:9100, or"
              + " :"
              + listen.port()
              + " for all interfaces)");
    }
  }
}
