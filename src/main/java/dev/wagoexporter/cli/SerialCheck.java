package dev.wagoexporter.cli;

import dev.wagoexporter.check.CheckHints;
import dev.wagoexporter.check.MeterCheck;
import dev.wagoexporter.check.UnitFinding;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.Parity;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.time.TimeSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code check --serial DEVICE}: the units are asked by {@link MeterCheck} over the serial
 * connection and printed by {@link FindingReport}, as over a gateway. What only a serial line has
 * is here: when nothing answers at the given line settings, the common ones are tried on the same
 * open port, and the output says which one the meter answered at. Reads only, on one connection for
 * the whole run.
 */
final class SerialCheck {
  /** A line setting meters are commonly set to. */
  private record LineSetting(int baud, Parity parity) {}

  /** The settings meters are commonly set to, most common first; WAGO ships 9600 8E1. */
  private static final List<LineSetting> COMMON_SETTINGS =
      List.of(
          new LineSetting(9600, Parity.EVEN),
          new LineSetting(9600, Parity.NONE),
          new LineSetting(19200, Parity.EVEN),
          new LineSetting(19200, Parity.NONE),
          new LineSetting(38400, Parity.EVEN),
          new LineSetting(38400, Parity.NONE));

  private final SerialConfig line;
  private final Profile profile;
  private final Duration timeout;
  private final PrintWriter out;

  SerialCheck(SerialConfig line, Profile profile, Duration timeout, PrintWriter out) {
    this.line = line;
    this.profile = profile;
    this.timeout = timeout;
    this.out = out;
  }

  /**
   * Checks the units ({@code scanUnits} is the range as given; none for one unit id) and says
   * whether a meter answered at the given line settings and every meter found is healthy.
   */
  boolean run(List<Integer> units, @Nullable String scanUnits) {
    boolean scan = scanUnits != null;
    Duration perRequest = scan ? Durations.min(CheckCommand.SCAN_TIMEOUT, timeout) : timeout;
    FindingReport report = FindingReport.forSerial(out, line);
    try (BusConnection connection =
        new BusConnection(
            line, ConnectionPolicy.polling(line.requestPause(), perRequest), TimeSource.system())) {
      MeterCheck check = new MeterCheck(connection, profile);
      List<UnitFinding> findings = new ArrayList<>();
      for (int unit : units) {
        UnitFinding f = check.check(unit, perRequest);
        findings.add(f);
        if (cannotOpen(f)) {
          report.print(f); // every further unit would get the same answer
          return false;
        }
        if (!scan || f instanceof UnitFinding.Found) {
          report.print(f);
        }
      }
      List<UnitFinding.Found> found =
          findings.stream()
              .filter(f -> f instanceof UnitFinding.Found)
              .map(f -> (UnitFinding.Found) f)
              .toList();
      if (scanUnits != null) {
        printSummary(found, findings.get(findings.size() - 1), scanUnits);
      }
      if (found.isEmpty()) {
        searchLineSettings(connection, check, units.get(0), perRequest);
        return false; // found at other settings or not at all: the given ones do not read it
      }
      return found.stream().allMatch(UnitFinding.Found::healthy);
    }
  }

  private void printSummary(List<UnitFinding.Found> found, UnitFinding last, String scanUnits) {
    if (found.size() == 1) {
      out.println("meter found at unit " + found.get(0).unit());
    } else if (found.size() > 1) {
      out.println(
          "meters found at units "
              + found.stream()
                  .map(f -> String.valueOf(f.unit()))
                  .collect(Collectors.joining(", ")));
    } else {
      out.println("no meter found at unit ids " + scanUnits + " at " + line.lineSettings());
      if (last instanceof UnitFinding.Silent s) {
        out.println(
            "  likely cause: "
                + CheckHints.silentOnSerial(s.unit(), s.error(), line.lineSettings()));
      } else if (last instanceof UnitFinding.Refused r) {
        out.println("  likely cause: " + CheckHints.refused(r.unit(), r.error()));
      }
    }
  }

  /**
   * Tries the common line settings on the first unit, on the open port: a meter set to other
   * settings than the exporter's stays silent or answers garbage.
   */
  private void searchLineSettings(
      BusConnection connection, MeterCheck check, int unit, Duration perRequest) {
    out.println(
        "trying the common line settings (9600, 19200, 38400 baud; even and no parity) at unit "
            + unit
            + " ...");
    for (LineSetting setting : COMMON_SETTINGS) {
      SerialConfig other =
          new SerialConfig(line.device(), setting.baud(), setting.parity(), 1, line.requestPause());
      if (other.equals(line)) {
        continue;
      }
      UnitFinding f;
      try {
        connection.changeLine(other);
        f = check.check(unit, perRequest);
      } catch (ModbusReadException e) {
        f = new UnitFinding.Silent(unit, e);
      }
      if (f instanceof UnitFinding.Found) {
        FindingReport.forSerial(out, other).print(f);
        out.println(
            "  the meter is set to "
                + other.lineSettings()
                + ": use --baud "
                + other.baud()
                + " --parity "
                + other.parity()
                + " --stop-bits 1 (in a config file: serial: {device: "
                + line.device()
                + ", baud: "
                + other.baud()
                + ", parity: "
                + other.parity()
                + "})");
        return;
      }
      ModbusReadException error =
          f instanceof UnitFinding.Silent s ? s.error() : ((UnitFinding.Refused) f).error();
      out.println("  " + other.lineSettings() + ": " + error.getMessage());
      if (cannotOpen(f)) {
        out.println("  likely cause: " + CheckHints.serialUnopened(error));
        return;
      }
    }
    out.println(
        "no meter answered at unit "
            + unit
            + " with any common line setting: check the unit id (--scan-units 1-10) and the wiring");
  }

  /** The port could not be opened (or was lost): no unit and no line setting can answer. */
  private static boolean cannotOpen(UnitFinding f) {
    return f instanceof UnitFinding.Silent s && s.error().failure() == FaultReason.CONNECTION;
  }
}
