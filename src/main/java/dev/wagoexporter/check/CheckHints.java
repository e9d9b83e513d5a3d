package dev.wagoexporter.check;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.GatewayBusyException;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.NothingAnsweredException;
import java.net.UnknownHostException;

/** The likely cause of a failed check, in plain words, with the next step. */
public final class CheckHints {
  private CheckHints() {}

  static final String SERIAL_SETTINGS =
      "gateway and meter use the same serial settings (WAGO default 9600 baud, 8 data bits,"
          + " even parity, 1 stop bit)";

  /** The port took the connection and has sent nothing back to any request. */
  public static final String NOTHING_ANSWERED =
      "nothing came back at all: the port accepts connections but never answered, so it may not be"
          + " the gateway's Modbus port (its web page, or another service such as Prometheus, listens"
          + " there too; the Waveshare RS485 TO ETH (B) uses 4196 in transparent mode and 502 in"
          + " Modbus TCP mode).";

  static final String WIRING = "the RS485 wiring (A/B swapped? 120 ohm termination at the ends?)";

  /** Modbus exceptions 0x0A and 0x0B come from the gateway itself, never from the meter. */
  public static boolean fromGateway(int exceptionCode) {
    return exceptionCode == 0x0A || exceptionCode == 0x0B;
  }

  /**
   * Why unit {@code unit} sent a Modbus exception instead of its identity: the status page's hint
   * ({@link ModbusReadException#hint()}), with what {@code check} knows on top.
   */
  public static String refused(int unit, ModbusReadException e) {
    String hint = "unit " + unit + ": " + e.hint() + ".";
    return fromGateway(e.exceptionCode())
        ? hint + " Also check that " + SERIAL_SETTINGS + "."
        : hint;
  }

  /** Why nothing usable came back from unit {@code unit}. */
  public static String silent(int unit, ModbusReadException e, Framing framing) {
    if (e instanceof GatewayBusyException) {
      return busy();
    }
    if (e instanceof NothingAnsweredException) {
      return NOTHING_ANSWERED
          + " If it is, no meter answers at unit "
          + unit
          + ": check the unit id (WAGO factory default 1; try --scan-units 1-10), "
          + WIRING
          + ", and that "
          + SERIAL_SETTINGS
          + ".";
    }
    if (e.failure() == FaultReason.TIMEOUT) {
      // check knows more than the poller: the TCP connection stands, and a forced framing was
      // cross-checked before this verdict
      return "no meter answers at unit "
          + unit
          + (framing == Framing.AUTO ? " in either framing" : "")
          + ". Check the unit id (WAGO factory default 1; try --scan-units 1-10), "
          + WIRING
          + ", and that "
          + SERIAL_SETTINGS
          + ".";
    }
    return e.hint() + ".";
  }

  /**
   * Why nothing usable came back from unit {@code unit} on a serial line at {@code lineSettings}
   * ("9600 8E1"): no gateway in between, so the hints name the stick, the wiring and the line
   * settings instead.
   */
  public static String silentOnSerial(int unit, ModbusReadException e, String lineSettings) {
    return switch (e.failure()) {
      case TIMEOUT ->
          "no meter answers at unit "
              + unit
              + " at "
              + lineSettings
              + ". Check the unit id (WAGO factory default 1; try --scan-units 1-10), the wiring"
              + " (A to A, B to B; swap them if unsure, some sticks say D+/D-; 120 ohm termination at"
              + " the far end) and that the line settings are the meter's (WAGO default 9600 8E1).";
      case CRC ->
          "garbled replies: the meter's line settings differ from these, or noise on the line.";
      case MISMATCH -> "a reply that does not fit the request: another master on the line?";
      case EXCEPTION -> e.hint() + ".";
      case CONNECTION -> serialUnopened(e);
      // data faults: never the reason of a failed request (ModbusReadException refuses them)
      case IMPLAUSIBLE, COUNTER_DECREASE, COUNTER_JUMP, NOTHING_READ, MISCONFIGURED ->
          e.hint() + ".";
    };
  }

  /** Why the serial device could not be opened, from the reason the link gave. */
  public static String serialUnopened(ModbusReadException e) {
    String message = String.valueOf(e.getMessage());
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

  /** The gateway serves one client and another one holds it. */
  public static String busy() {
    return "the gateway serves one client at a time and another one is connected (a running"
        + " exporter, the old exporter, the VirCom tool): stop it, then run check again.";
  }

  /** The gateway answered in {@code detected} framing although {@code asked} was given. */
  public static String framing(Framing asked, Framing detected) {
    return detected == Framing.TCP
        ? "the gateway speaks Modbus TCP (Transfer protocol \"Modbus TCP to RTU\"), not raw RTU"
            + " frames: use --framing tcp (framing: tcp in the config file)."
        : "the gateway passes raw RTU frames (transparent mode, Transfer protocol \"None\"), not"
            + " Modbus TCP: use --framing rtu-over-tcp (framing: rtu-over-tcp in the config file).";
  }

  /** A gateway that cannot be reached over TCP. */
  /** Why the gateway could not be reached, from the reason the connect gave. */
  public static String unreachable(ModbusReadException e) {
    if (e.getCause() instanceof UnknownHostException) {
      return "the host name does not resolve: check its spelling, or give the gateway's IP"
          + " address instead (e.g. --gateway 192.168.1.200:502); the Waveshare RS485 TO ETH (B)"
          + " ships with 192.168.1.200.";
    }
    return unreachable();
  }

  private static String unreachable() {
    return "wrong IP address or port, gateway off or on another subnet. The Waveshare RS485 TO ETH"
        + " (B) ships with 192.168.1.200, port 4196 in transparent mode and 502 in Modbus TCP"
        + " mode; check it with its VirCom tool.";
  }
}
