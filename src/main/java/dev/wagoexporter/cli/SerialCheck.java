package dev.wagoexporter.cli;

import dev.wagoexporter.config.Parity;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.modbus.GatewayConnection;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.TransportFailure;
import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.ValueType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * {@code check --serial DEVICE}: does the stick open, does a meter answer at the unit id(s), what
 * is it. When nothing answers at the given line settings, it tries the common ones on the same open
 * port and says which one the meter answered at. Reads only, on one connection for the whole run.
 */
final class SerialCheck {
  /** The settings meters are commonly set to, most common first; WAGO ships 9600 8E1. */
  private static final List<int[]> COMMON_SETTINGS =
      List.of(
          new int[] {9600, 0},
          new int[] {9600, 1},
          new int[] {19200, 0},
          new int[] {19200, 1},
          new int[] {38400, 0},
          new int[] {38400, 1});

  private final SerialConfig line;
  private final IdentityRegisters identity;
  private final Duration timeout;
  private final PrintWriter out;

  SerialCheck(SerialConfig line, IdentityRegisters identity, Duration timeout, PrintWriter out) {
    this.line = line;
    this.identity = identity;
    this.timeout = timeout;
    this.out = out;
  }

  /** Checks the units and returns how many answered. */
  int run(List<Integer> units) {
    try (GatewayConnection connection = new GatewayConnection(line, timeout)) {
      int found = 0;
      ModbusReadException last = null;
      for (int unit : units) {
        try {
          report(connection, unit, "");
          found++;
        } catch (ModbusReadException e) {
          last = e;
          out.println("unit " + unit + ": " + e.getMessage());
          if (e.failure() == TransportFailure.CONNECTION) {
            out.println("  likely cause: " + cannotOpen(e));
            return 0;
          }
        }
      }
      if (found == 0 && last != null) {
        out.println("  likely cause: " + likelyCause(last, units.get(0)));
        found = searchLineSettings(connection, units.get(0));
      }
      return found;
    }
  }

  /**
   * Tries the common line settings on the first unit, on the open port: a meter set to other
   * settings than the exporter's stays silent or answers garbage.
   */
  private int searchLineSettings(GatewayConnection connection, int unit) {
    out.println(
        "trying the common line settings (9600, 19200, 38400 baud; even and no parity) at unit "
            + unit
            + " ...");
    for (int[] setting : COMMON_SETTINGS) {
      SerialConfig other =
          new SerialConfig(
              line.device(),
              setting[0],
              setting[1] == 0 ? Parity.EVEN : Parity.NONE,
              1,
              line.requestPause());
      if (other.equals(line)) {
        continue;
      }
      try {
        connection.changeLine(other);
        report(connection, unit, " at " + other.lineSettings());
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
        return 1;
      } catch (ModbusReadException e) {
        out.println("  " + other.lineSettings() + ": " + e.getMessage());
        if (e.failure() == TransportFailure.CONNECTION) {
          return 0;
        }
      }
    }
    out.println(
        "no meter answered at unit "
            + unit
            + " with any common line setting: check the unit id (--scan-units 1-10) and the wiring");
    return 0;
  }

  private void report(GatewayConnection connection, int unit, String where)
      throws ModbusReadException {
    MeterIdentity id =
        MeterIdentity.decode(
            identity, connection.read(unit, 3, identity.start(), identity.count(), timeout));
    out.println("unit " + unit + ": meter found on " + line.device() + where + " (Modbus RTU)");
    out.println("  " + id.describe());
    byte[] values = connection.read(unit, 3, 0x5002, 8, timeout);
    out.printf(
        "  now: L1 %.1f V, L2 %.1f V, L3 %.1f V, %.2f Hz%n",
        ValueType.FLOAT32.decode(values, 0),
        ValueType.FLOAT32.decode(values, 4),
        ValueType.FLOAT32.decode(values, 8),
        ValueType.FLOAT32.decode(values, 12));
  }

  private static String cannotOpen(ModbusReadException e) {
    String message = e.getMessage();
    if (message.contains("permission denied")) {
      return "the user may not open the device: add it to the device's group (dialout), or in Docker"
          + " run the image as group 20 (compose.serial.yaml does)";
    }
    if (message.contains("in use")) {
      return "another program holds the stick: stop the running exporter (docker-compose stop"
          + " modbus_exporter) before checking, only one master may use the line";
    }
    return "the stick is not there: plug it in, or find its name with ls /dev/serial/by-id/; in"
        + " Docker, pass it in with devices: (compose.serial.yaml)";
  }

  private String likelyCause(ModbusReadException e, int unit) {
    return switch (e.failure()) {
      case TIMEOUT ->
          "no meter answers at unit "
              + unit
              + " at "
              + line.lineSettings()
              + ". Check the unit id (WAGO factory default 1; try --scan-units 1-10), the wiring"
              + " (A to A, B to B; swap them if unsure, some sticks say D+/D-; 120 ohm termination at"
              + " the far end) and that the line settings are the meter's (WAGO default 9600 8E1).";
      case CRC ->
          "garbled replies: the meter's line settings differ from these, or noise on the line";
      case MISMATCH -> "a reply that does not fit the request: another master on the line?";
      case EXCEPTION -> "a device answered but refused the read: it may not be a WAGO 879-30xx";
      case CONNECTION -> cannotOpen(e);
    };
  }
}
