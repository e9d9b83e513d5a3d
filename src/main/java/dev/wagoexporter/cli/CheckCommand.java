package dev.wagoexporter.cli;

import dev.wagoexporter.check.CheckHints;
import dev.wagoexporter.check.MeterCheck;
import dev.wagoexporter.check.UnitFinding;
import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.logging.Logging;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.GatewayBusyException;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.NothingAnsweredException;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileException;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.time.TimeSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first thing to run after wiring: is the gateway reachable, which framing does it speak, is a
 * meter at that unit id, and what is it. Says the likely cause in plain words when something is
 * wrong. Reads only, over one connection for the whole run (many transparent gateways serve one
 * client at a time); only a framing cross-check or {@code --framing auto}'s probe reconnect.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Check the wiring: gateway or USB stick reachable? which framing? a meter at that unit id?"
          + " its identity.",
      "",
      "Exit codes: 0 a healthy meter found (with --scan-units: at least one, all healthy);"
          + " 1 a problem found (the output says which and what to do); 2 bad input."
    })
final class CheckCommand implements Callable<Integer> {
  /** Per-unit reply timeout of a scan, unless --timeout is shorter: a meter answers in ~100 ms. */
  static final Duration SCAN_TIMEOUT = Duration.ofMillis(300);

  /** Attempts when the gateway drops the connection at once (its one client slot is taken). */
  private static final int BUSY_ATTEMPTS = 4;

  private static final Duration BUSY_PAUSE = Duration.ofMillis(300);

  @Option(
      names = "--gateway",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:WAGO_GATEWAY}",
      converter = Converters.GatewayConverter.class,
      description = "the Modbus gateway (env WAGO_GATEWAY)")
  @Nullable GatewayConfig gateway;

  @Option(
      names = "--framing",
      paramLabel = "tcp|rtu-over-tcp|auto",
      defaultValue = "${env:WAGO_FRAMING:-auto}",
      converter = Converters.FramingConverter.class,
      description = "default ${DEFAULT-VALUE}: find out")
  Framing framing;

  @Option(
      names = "--unit-id",
      paramLabel = "N",
      defaultValue = "${env:WAGO_UNIT_ID:-1}",
      converter = Converters.UnitIdConverter.class,
      description = "the meter's Modbus address (WAGO factory default 1; env WAGO_UNIT_ID)")
  int unitId;

  @Option(
      names = "--scan-units",
      paramLabel = "FROM-TO",
      description =
          "look for meters at these unit ids, e.g. 1-10, with a short timeout per unit"
              + " (at most 300 ms)")
  @Nullable String scanUnits;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:WAGO_TIMEOUT:-1s}",
      converter = Converters.DurationConverter.class,
      description = "reply timeout per request (env WAGO_TIMEOUT, default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--profile",
      paramLabel = "NAME|FILE",
      defaultValue = "${env:WAGO_PROFILE:-wago-879-30xx}",
      converter = Converters.ProfileConverter.class,
      description = "register map to read (env WAGO_PROFILE, default ${DEFAULT-VALUE})")
  String profileName;

  @Mixin SerialOptions serial;

  @Spec CommandSpec spec;

  // set first thing in call(), picocli's entry point, from which every other method runs
  @SuppressWarnings("NullAway.Init")
  private PrintWriter out;

  @Override
  public Integer call() {
    Logging.quietUnlessChosen();
    out = spec.commandLine().getOut();
    try {
      return checkAll();
    } finally {
      out.flush();
    }
  }

  private int checkAll() {
    List<Integer> units;
    try {
      units = scanUnits == null ? List.of(unitId) : parseRange(scanUnits);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--scan-units: " + e.getMessage());
    }
    Profile profile;
    try {
      profile = ProfileLoader.load(profileName);
    } catch (ProfileException e) {
      throw new UsageError(e.getMessage());
    }
    if (serial.given() && gateway != null) {
      throw new UsageError(
          "--serial and --gateway are both given (flags or env WAGO_SERIAL and WAGO_GATEWAY):"
              + " check one of them");
    }
    if (serial.given()) {
      return checkSerial(units, profile);
    }
    if (gateway == null) {
      throw new UsageError(
          "give --gateway HOST:PORT (env WAGO_GATEWAY) or --serial DEVICE (env WAGO_SERIAL) to"
              + " check");
    }
    boolean scan = scanUnits != null;
    Duration perRequest = scan ? Durations.min(SCAN_TIMEOUT, timeout) : timeout;
    BusConnection line =
        new BusConnection(
            gateway.withFraming(framing), ConnectionPolicy.diagnosis(), TimeSource.system());
    try {
      if (!connect(line)) {
        return ExitCode.PROBLEM;
      }
      MeterCheck check = new MeterCheck(line, profile);
      List<UnitFinding> findings = new ArrayList<>();
      for (int unit : units) {
        UnitFinding f = checkUnit(check, unit, perRequest);
        findings.add(f);
        if (scan ? f instanceof UnitFinding.Found : !mayBeFraming(f)) {
          print(f);
        }
        if (isBusy(f)) {
          break; // every further unit would get the same answer
        }
      }
      if (scan) {
        printSummary(findings);
      }
      if (findings.stream().allMatch(this::mayBeFraming)) {
        line.close(); // the cross-check needs the gateway's one client slot
        boolean otherFraming = crossCheckFraming(profile, units.get(0), perRequest);
        if (!otherFraming && !scan) {
          print(findings.get(0));
        }
        return ExitCode.PROBLEM;
      }
      boolean found = findings.stream().anyMatch(f -> f instanceof UnitFinding.Found);
      boolean allHealthy =
          findings.stream()
              .filter(f -> f instanceof UnitFinding.Found)
              .allMatch(f -> ((UnitFinding.Found) f).healthy());
      return found && allHealthy ? ExitCode.OK : ExitCode.PROBLEM;
    } finally {
      line.close();
    }
  }

  /** The same questions over a USB RS485 stick, and a search of its line settings (SerialCheck). */
  private int checkSerial(List<Integer> units, Profile profile) {
    SerialConfig line;
    try {
      line = serial.config();
    } catch (ConfigException e) {
      throw new UsageError(e.getMessage());
    }
    boolean healthy = new SerialCheck(line, profile, timeout, out).run(units, scanUnits);
    return healthy ? ExitCode.OK : ExitCode.PROBLEM;
  }

  /** The gateway of a check over TCP: {@link #call} goes no further without one. */
  private GatewayConfig tcpGateway() {
    return Objects.requireNonNull(gateway);
  }

  /** Opens the connection; says whether the gateway is reachable and, if not, why. */
  private boolean connect(BusConnection line) {
    for (int attempt = 1; ; attempt++) {
      try {
        line.connect(timeout);
        out.println("gateway " + tcpGateway().address() + ": reachable (TCP connection accepted)");
        return true;
      } catch (GatewayBusyException e) {
        if (attempt == BUSY_ATTEMPTS) {
          out.println("gateway " + tcpGateway().address() + ": busy: " + e.getMessage());
          out.println("  likely cause: " + CheckHints.busy());
          return false;
        }
        pause();
      } catch (ModbusReadException e) {
        out.println("gateway " + tcpGateway().address() + ": NOT reachable: " + e.getMessage());
        out.println("  likely cause: " + CheckHints.unreachable(e));
        return false;
      }
    }
  }

  /** Checks one unit; when the gateway dropped a reconnect at once, tries again a few times. */
  private UnitFinding checkUnit(MeterCheck check, int unit, Duration perRequest) {
    UnitFinding f = check.check(unit, perRequest);
    for (int attempt = 1; isBusy(f) && attempt < BUSY_ATTEMPTS; attempt++) {
      pause();
      f = check.check(unit, perRequest);
    }
    return f;
  }

  /**
   * Nothing answered in the framing asked for: does the gateway speak the other one? Probes (RTU
   * first, then Modbus TCP with a transaction id that cannot address a device) on a new connection.
   */
  private boolean crossCheckFraming(Profile profile, int unit, Duration perRequest) {
    try (BusConnection probe =
        new BusConnection(
            tcpGateway().withFraming(Framing.AUTO),
            ConnectionPolicy.diagnosis(),
            TimeSource.system())) {
      UnitFinding f = checkUnit(new MeterCheck(probe, profile), unit, perRequest);
      Framing detected = probe.framing();
      if (!(f instanceof UnitFinding.Silent) && detected != null && detected != framing) {
        out.println("framing: you asked for " + framing + ", but the gateway answers " + detected);
        out.println("  likely cause: " + CheckHints.framing(framing, detected));
        if (f instanceof UnitFinding.Found) {
          out.println("  with --framing " + detected + ":");
          print(f);
        }
        return true;
      }
      return false; // the other framing did not answer either: the first verdict stands
    }
  }

  /** Nothing usable came back in a framing the user forced: the framing may be the cause. */
  private boolean mayBeFraming(UnitFinding f) {
    return framing != Framing.AUTO && f instanceof UnitFinding.Silent && !isBusy(f);
  }

  private void print(UnitFinding f) {
    FindingReport.forGateway(out, framing).print(f);
  }

  private void printSummary(List<UnitFinding> findings) {
    List<Integer> found =
        findings.stream()
            .filter(f -> f instanceof UnitFinding.Found)
            .map(UnitFinding::unit)
            .toList();
    List<String> devices =
        findings.stream()
            .filter(
                f ->
                    f instanceof UnitFinding.Refused r
                        && !CheckHints.fromGateway(r.exceptionCode()))
            .map(f -> f.unit() + " (exception " + ((UnitFinding.Refused) f).exceptionCode() + ")")
            .toList();
    if (found.size() == 1) {
      out.println("meter found at unit " + found.get(0));
    } else if (found.size() > 1) {
      out.println(
          "meters found at units "
              + found.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    } else {
      out.println("no meter found at unit ids " + scanUnits);
      UnitFinding last = findings.get(findings.size() - 1);
      String hint;
      if (isBusy(last)) {
        hint = CheckHints.busy();
      } else if (last instanceof UnitFinding.Refused r
          && CheckHints.fromGateway(r.exceptionCode())) {
        hint =
            "the gateway answered, but no meter behind it answered at any of these unit ids."
                + " Check the RS485 wiring (A/B swapped? 120 ohm termination?) and the serial"
                + " settings (WAGO default 9600 baud, 8 data bits, even parity, 1 stop bit),"
                + " or scan a wider range.";
      } else if (last instanceof UnitFinding.Silent s
          && s.error() instanceof NothingAnsweredException) {
        hint =
            CheckHints.NOTHING_ANSWERED
                + " If it is, check the RS485 wiring (A/B swapped? 120 ohm termination?) and the"
                + " serial settings (WAGO default 9600 baud, 8 data bits, even parity, 1 stop bit).";
      } else {
        hint =
            "nothing answered at any of these unit ids. Check the RS485 wiring (A/B swapped?"
                + " 120 ohm termination?), the serial settings (WAGO default 9600 baud, 8 data"
                + " bits, even parity, 1 stop bit), the framing (try --framing auto), or scan"
                + " a wider range.";
      }
      out.println("  likely cause: " + hint);
    }
    if (!devices.isEmpty()) {
      out.println(
          "devices that answered but are not read as meters: unit " + String.join(", ", devices));
    }
  }

  private static boolean isBusy(UnitFinding f) {
    return f instanceof UnitFinding.Silent s && s.error() instanceof GatewayBusyException;
  }

  private static void pause() {
    try {
      Thread.sleep(BUSY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<Integer> parseRange(String text) {
    String[] parts = text.trim().split("-", -1);
    try {
      int from = Integer.parseInt(parts[0].trim());
      int to = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : from;
      if (parts.length > 2
          || !ModbusLimits.isUnitId(from)
          || !ModbusLimits.isUnitId(to)
          || from > to) {
        throw new NumberFormatException();
      }
      List<Integer> units = new ArrayList<>();
      for (int u = from; u <= to; u++) {
        units.add(u);
      }
      return units;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a range of unit ids like 1-10 (1..247)");
    }
  }
}
