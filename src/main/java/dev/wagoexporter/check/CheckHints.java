package dev.wagoexporter.check;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.GatewayBusyException;
import dev.wagoexporter.modbus.ModbusReadException;

/** The likely cause of a failed check, in plain words, with the next step. */
public final class CheckHints {
  private CheckHints() {}

  static final String SERIAL_SETTINGS =
      "gateway and meter use the same serial settings (WAGO default 9600 baud, 8 data bits,"
          + " even parity, 1 stop bit)";

  static final String WIRING = "the RS485 wiring (A/B swapped? 120 ohm termination at the ends?)";

  /** Modbus exceptions 0x0A and 0x0B come from the gateway itself, never from the meter. */
  public static boolean fromGateway(int exceptionCode) {
    return exceptionCode == 0x0A || exceptionCode == 0x0B;
  }

  /** Why unit {@code unit} sent a Modbus exception instead of its identity. */
  public static String refused(int unit, int exceptionCode) {
    if (fromGateway(exceptionCode)) {
      return "the gateway answered, but no meter behind it answered at unit "
          + unit
          + ". Check the meter's unit id (WAGO factory default 1; try --scan-units 1-10), "
          + WIRING
          + ", and that "
          + SERIAL_SETTINGS
          + ".";
    }
    if (exceptionCode == 0x04 || exceptionCode == 0x06) {
      return "the device at unit " + unit + " reports a failure or is busy: try again in a minute.";
    }
    return "a device at unit "
        + unit
        + " answered but refused to read the identity registers: it may not be a WAGO 879-30xx,"
        + " or the profile does not match it.";
  }

  /** Why nothing usable came back from unit {@code unit}. */
  public static String silent(int unit, ModbusReadException e, Framing framing) {
    if (e instanceof GatewayBusyException) {
      return busy();
    }
    return switch (e.failure()) {
      case TIMEOUT ->
          "no meter answers at unit "
              + unit
              + (framing == Framing.AUTO ? " in either framing" : "")
              + ". Check the unit id (WAGO factory default 1; try --scan-units 1-10), "
              + WIRING
              + ", and that "
              + SERIAL_SETTINGS
              + ".";
      case CONNECTION ->
          "the gateway closed the connection: it may allow only one client (stop the other one),"
              + " or it expects the other framing (try --framing auto).";
      case CRC -> "garbled replies: " + SERIAL_SETTINGS + ", or there is noise on the RS485 line.";
      case MISMATCH ->
          "a reply that does not fit the request: another master on the bus (a second exporter,"
              + " VirCom), or the gateway mode does not match the framing (try --framing auto).";
      case EXCEPTION -> refused(unit, e.exceptionCode());
    };
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
  public static String unreachable() {
    return "wrong IP address or port, gateway off or on another subnet. The Waveshare RS485 TO ETH"
        + " (B) ships with 192.168.1.200, port 4196 in transparent mode and 502 in Modbus TCP"
        + " mode; check it with its VirCom tool.";
  }
}
