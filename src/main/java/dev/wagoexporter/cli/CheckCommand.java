package dev.wagoexporter.cli;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.GatewayConnection;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.ValueType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The first thing to run after wiring: is the gateway reachable, which framing does it speak, is a
 * meter at that unit id, and what is it. Says the likely cause in plain words when something is
 * wrong. Reads only.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Check the wiring: gateway reachable? which framing? a meter at that unit id? its identity.")
final class CheckCommand implements Callable<Integer> {
  @Option(
      names = "--gateway",
      paramLabel = "HOST:PORT",
      required = true,
      defaultValue = "${env:WAGO_GATEWAY}",
      converter = Converters.GatewayConverter.class,
      description = "the Modbus gateway (env WAGO_GATEWAY)")
  GatewayConfig gateway;

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
      description = "the meter's Modbus address (WAGO factory default 1)")
  int unitId;

  @Option(
      names = "--scan-units",
      paramLabel = "FROM-TO",
      description = "look for meters at these unit ids, e.g. 1-10")
  String scanUnits;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:WAGO_TIMEOUT:-1s}",
      converter = Converters.DurationConverter.class,
      description = "reply timeout per request (default ${DEFAULT-VALUE})")
  Duration timeout;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    List<Integer> units;
    try {
      units = scanUnits == null ? List.of(unitId) : parseRange(scanUnits);
    } catch (IllegalArgumentException e) {
      return Main.badInput("--scan-units: " + e.getMessage());
    }
    Profile profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    if (!reachable()) {
      return 1;
    }
    int found = 0;
    for (int unit : units) {
      try (GatewayConnection connection =
          new GatewayConnection(gateway.address(), framing, Duration.ZERO, timeout)) {
        if (checkUnit(connection, unit, profile.identity())) {
          found++;
        }
      }
    }
    if (units.size() > 1) {
      out.println(
          found == 0 ? "no meter answered at unit ids " + scanUnits : found + " meter(s) found");
    }
    return found > 0 ? 0 : 1;
  }

  private boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(gateway.address().host(), gateway.address().port()),
          (int) timeout.toMillis());
      out.println("gateway " + gateway.address() + ": reachable (TCP connection accepted)");
      return true;
    } catch (IOException e) {
      out.println("gateway " + gateway.address() + ": NOT reachable: " + e.getMessage());
      out.println(
          "  likely cause: wrong IP address or port, gateway off or on another subnet. The Waveshare RS485 TO"
              + " ETH (B) ships with 192.168.1.200 and port 4196 (502 in Modbus TCP mode); check it with its VirCom tool.");
      return false;
    }
  }

  private boolean checkUnit(GatewayConnection connection, int unit, IdentityRegisters regs) {
    try {
      MeterIdentity id =
          MeterIdentity.decode(regs, connection.read(unit, 3, regs.start(), regs.count(), timeout));
      Framing used = connection.framing();
      out.println(
          "unit "
              + unit
              + ": meter found over "
              + used
              + " framing"
              + (framing == Framing.AUTO ? " (pin it: framing: " + used + ")" : ""));
      out.println(
          "  serial "
              + id.serial()
              + ", model "
              + id.model()
              + ", firmware "
              + id.firmware()
              + ", data format "
              + (id.floatFormat()
                  ? "1 (float, ok)"
                  : id.dataFormat()
                      + " (INTEGER: the exporter cannot decode it; set register 0x4026 back to 1 on the meter)"));
      byte[] values = connection.read(unit, 3, 0x5002, 8, timeout);
      out.printf(
          "  now: L1 %.1f V, L2 %.1f V, L3 %.1f V, %.2f Hz%n",
          ValueType.FLOAT32.decode(values, 0),
          ValueType.FLOAT32.decode(values, 4),
          ValueType.FLOAT32.decode(values, 8),
          ValueType.FLOAT32.decode(values, 12));
      return true;
    } catch (ModbusReadException e) {
      out.println("unit " + unit + ": " + e.getMessage());
      out.println("  likely cause: " + likelyCause(e, unit));
      return false;
    }
  }

  private String likelyCause(ModbusReadException e, int unit) {
    if (e.getMessage().contains("transparent mode")) {
      return "the gateway passes raw RTU frames (Transfer protocol \"None\"): use --framing rtu-over-tcp";
    }
    return switch (e.failure()) {
      case TIMEOUT ->
          "no meter answers at unit "
              + unit
              + ". Check the unit id (WAGO factory default 1; try"
              + " --scan-units 1-10), the RS485 wiring (A/B swapped? 120 ohm termination?), and that gateway and meter"
              + " use the same serial settings (WAGO default 9600 baud, 8 data bits, even parity, 1 stop bit)."
              + (framing == Framing.TCP
                  ? " If the gateway is in transparent mode, use --framing rtu-over-tcp."
                  : "");
      case CONNECTION ->
          "the gateway closed the connection: it may allow only one client (stop the old exporter or"
              + " VirCom), or it expects the other framing (try --framing auto)";
      case CRC ->
          "garbled replies: serial settings of gateway and meter differ, or noise on the RS485 line";
      case EXCEPTION -> "a device answered but refused the read: it may not be a WAGO 879-30xx";
      case MISMATCH ->
          "a reply that does not fit the request: another master on the bus, or the gateway mode"
              + " does not match the framing (try --framing auto)";
    };
  }

  static List<Integer> parseRange(String text) {
    String[] parts = text.trim().split("-");
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
