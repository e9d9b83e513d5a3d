package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.NothingAnsweredException;
import dev.wagoexporter.modbus.TransportFailure;

/**
 * The next step for a user, in plain words, for each reason a read can fail or a value be refused.
 * One place for the status page, the JSON API and {@code check}, so all three give the same advice
 * for the same cause. Hints say what answered and what did not, then what to check.
 */
public final class FaultHint {
  private FaultHint() {}

  /** For a failed request, as {@code check} and the poller see it. */
  public static String of(ModbusReadException e) {
    return e instanceof NothingAnsweredException
        ? NOTHING_ANSWERED
        : forReason(e.failure().label(), e.exceptionCode());
  }

  /** A timeout on a gateway port that has never sent a byte back. */
  static final String NOTHING_ANSWERED =
      "nothing has ever answered on this port: it accepts connections but never replies, so it may"
          + " not be the gateway's Modbus port (a web page or another service, e.g. Prometheus,"
          + " listens on it; the Waveshare RS485 TO ETH (B) uses 4196 in transparent mode and 502"
          + " in Modbus TCP mode). If it is the Modbus port, the meter behind the gateway is"
          + " silent: check the A/B wiring, the unit id (WAGO factory default 1), baud rate and"
          + " parity (WAGO default 9600 baud, 8E1) and the framing; run `wago-exporter check`";

  public static String of(DataFault fault) {
    return forReason(fault.label(), -1);
  }

  /**
   * The hint for an error reason.
   *
   * @param reason a {@code wago_modbus_errors_total} reason: a {@link TransportFailure} or {@link
   *     DataFault} label
   * @param exceptionCode the Modbus exception code for {@code exception}, else -1
   */
  public static String forReason(String reason, int exceptionCode) {
    return switch (reason) {
      case "connection" ->
          "the gateway is not reachable or dropped the connection: check its IP address and port,"
              + " that it is powered and on this network, and that no other program (an old"
              + " exporter, VirCom) holds its one client slot";
      case "timeout" ->
          "the line has answered before, this request was not: the meter did not answer. Check the"
              + " A/B wiring, the unit id (WAGO factory default 1), baud rate and parity (WAGO"
              + " default 9600 baud, 8E1) and the framing; run `wago-exporter check`";
      case "crc" ->
          "garbled replies from the RS485 line: the serial settings of gateway and meter differ"
              + " (WAGO default 9600 baud, 8E1), or the line is noisy (A/B wiring, 120 ohm"
              + " termination)";
      case "exception" -> forException(exceptionCode);
      case "mismatch" ->
          "a reply that does not belong to the request: the gateway mode does not match the"
              + " framing (transparent mode needs rtu-over-tcp, Modbus TCP mode needs tcp; framing"
              + " auto finds it), or another master is on the RS485 bus";
      case "implausible" ->
          "the meter sent values outside their physical range and they were dropped: now and then"
              + " means noise on the line; always means the profile does not fit this meter";
      case "counter_decrease" ->
          "an energy counter went down and was dropped; it is taken as the new start if the lower"
              + " value holds for 3 polls (meter replaced or reset)";
      case "counter_jump" ->
          "an energy counter rose faster than the meter can measure and was held back; it is"
              + " exported when the next poll confirms it (now and then means noise on the line)";
      case "nothing_read" ->
          "the meter refused every register of the profile (exception 02/03), so nothing is read;"
              + " the whole profile is tried again after 1, 2, 4 ... polls: check that the profile"
              + " fits this meter and that no other device answers at this unit id";
      case "misconfigured" ->
          "the meter is set to integer data format: set it back to standard/float on the meter"
              + " (WAGO: register 0x4026 = 1)";
      default -> "unexpected error (" + reason + "): run `wago-exporter check` and see the log";
    };
  }

  /** Who answered decides the hint: 0x0A/0x0B come from the gateway, the others from the meter. */
  private static String forException(int code) {
    return switch (code) {
      case 0x0A, 0x0B ->
          "the gateway answered, no meter behind it at this unit id: check the unit id (WAGO"
              + " factory default 1; `wago-exporter check --scan-units 1-10` looks for it) and the"
              + " RS485 wiring";
      case 0x01 ->
          "the device refused the read function: it may not be a WAGO 879-30xx, or the profile"
              + " does not fit it";
      case 0x02, 0x03 ->
          "the meter refused a register range: the profile may not fit this model or firmware;"
              + " the exporter leaves those values out and reads the rest";
      case 0x04 ->
          "the meter reported an internal failure: power-cycle it; if it stays, the meter may be"
              + " defective";
      case 0x05, 0x06 ->
          "the meter is busy: is another master (a second poller, VirCom) on the bus? A longer"
              + " poll interval helps";
      default ->
          "the device answered with Modbus exception "
              + (code < 0 ? "(unknown code)" : String.format("0x%02X", code))
              + ": it may not be a WAGO 879-30xx, or the profile does not fit it";
    };
  }
}
