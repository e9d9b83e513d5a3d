package dev.wagoexporter.cli;

import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.profile.ProfileException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: wires the subcommands; {@code run} is the default. */
@Command(
    name = "wago-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
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
  /** Exit code for bad input: a flag, the config file or a profile. */
  static final int BAD_INPUT = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    System.exit(commandLine().execute(withDefaultCommand(args)));
  }

  /**
   * The command line with one-line errors for bad flags (exit code 2), as for a bad config file.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println(
              "error: "
                  + ex.getMessage()
                  + " (see "
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help)");
          err.flush();
          return BAD_INPUT;
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

  static int badInput(String message) {
    System.err.println("error: " + message);
    return BAD_INPUT;
  }

  /** Starts the exporter and blocks until the process is stopped (SIGTERM from Docker, Ctrl-C). */
  static int serveUntilStopped(ExporterConfig config) throws Exception {
    Exporter exporter;
    try {
      exporter = Exporter.start(config, Clock.systemUTC());
    } catch (ProfileException e) {
      return badInput(e.getMessage());
    } catch (java.net.BindException e) {
      System.err.println(
          "error: "
              + e.getMessage()
              + " (another exporter, e.g. node_exporter, may use this port: choose another with --listen)");
      return 1;
    }
    LOG.info(
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
                  exporter.close();
                  LOG.info(
                      "wago-exporter stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
