package dev.wagoexporter.fault;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a request got no usable reply, or why a value the meter sent was refused: the one vocabulary
 * for counting ({@link #label()} is the {@code reason} of {@code wago_modbus_errors_total}, see
 * docs/metrics.md), logging and telling the user what to do next ({@link #hint(int)}), so the
 * status page, the JSON API and {@code check} give the same advice for the same cause. Hints say
 * what answered and what did not, then what to check. Declared in the order the counters are
 * exported: transport failures first, then data faults.
 */
public enum FaultReason {
  /** No (complete) reply within the timeout. */
  TIMEOUT(
      "timeout",
      true,
      "the line has answered before, this request was not: the meter did not answer. Check the"
          + " A/B wiring, the unit id (WAGO factory default 1), baud rate and parity (WAGO"
          + " default 9600 baud, 8E1) and the framing; run `wago-exporter check`"),
  /** Connect refused or failed, connection reset or closed by the gateway. */
  CONNECTION(
      "connection",
      true,
      "the gateway is not reachable or dropped the connection: check its IP address and port,"
          + " that it is powered and on this network, and that no other program (an old"
          + " exporter, VirCom) holds its one client slot"),
  /** An RTU frame whose CRC does not match: noise on the line or a garbled reply. */
  CRC(
      "crc",
      true,
      "garbled replies from the RS485 line: the serial settings of gateway and meter differ"
          + " (WAGO default 9600 baud, 8E1), or the line is noisy (A/B wiring, 120 ohm"
          + " termination)"),
  /**
   * The meter answered with a Modbus exception (e.g. 02 illegal data address); its hint depends on
   * the exception code.
   */
  EXCEPTION("exception", true, null),
  /**
   * A reply that does not belong to the request: wrong unit id, function code, byte count or
   * header.
   */
  MISMATCH(
      "mismatch",
      true,
      "a reply that does not belong to the request: the gateway mode does not match the"
          + " framing (transparent mode needs rtu-over-tcp, Modbus TCP mode needs tcp; framing"
          + " auto finds it), or another master is on the RS485 bus"),
  /**
   * NaN, infinite, absurdly small garbage (the old exporter saw 3.67e-27), or outside the profile's
   * range.
   */
  IMPLAUSIBLE(
      "implausible",
      false,
      "the meter sent values outside their physical range and they were dropped: now and then"
          + " means noise on the line; always means the profile does not fit this meter"),
  /**
   * An energy counter lower than before: dropped until the lower value persists (meter replaced).
   */
  COUNTER_DECREASE(
      "counter_decrease",
      false,
      "an energy counter went down and was dropped; it is taken as the new start if the lower"
          + " value holds for 3 polls (meter replaced or reset)"),
  /**
   * An energy counter rose faster than the meter can measure (its profile's {@code max_rate}): held
   * back until the next poll confirms it.
   */
  COUNTER_JUMP(
      "counter_jump",
      false,
      "an energy counter rose faster than the meter can measure and was held back; it is"
          + " exported when the next poll confirms it (now and then means noise on the line)"),
  /**
   * The meter refused every register of the profile (exception 02/03): nothing is read until the
   * whole plan, tried again with a back-off, is answered.
   */
  NOTHING_READ(
      "nothing_read",
      false,
      "the meter refused every register of the profile (exception 02/03), so nothing is read;"
          + " the whole profile is tried again after 1, 2, 4 ... polls: check that the profile"
          + " fits this meter and that no other device answers at this unit id"),
  /** The meter's data format register says "integer": its floats would be garbage. */
  MISCONFIGURED(
      "misconfigured",
      false,
      "the meter is set to integer data format: set it back to standard/float on the meter"
          + " (WAGO: register 0x4026 = 1)");

  private final String label;
  private final boolean transport;

  /** Null only for {@link #EXCEPTION}, whose hint depends on the exception code. */
  private final @Nullable String hint;

  FaultReason(String label, boolean transport, @Nullable String hint) {
    this.label = label;
    this.transport = transport;
    this.hint = hint;
  }

  /** The {@code reason} label of {@code wago_modbus_errors_total}: a contract, never renamed. */
  public String label() {
    return label;
  }

  /**
   * A request that got no usable reply (a {@code ModbusReadException}'s reason), as opposed to a
   * value the exporter refused.
   */
  public boolean isTransport() {
    return transport;
  }

  /**
   * The next step for a user, in plain words.
   *
   * @param exceptionCode the Modbus exception code for {@link #EXCEPTION}, else -1 (ignored by the
   *     other reasons)
   */
  public String hint(int exceptionCode) {
    return this == EXCEPTION ? forException(exceptionCode) : Objects.requireNonNull(hint);
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
