package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.ModbusReadException;

/**
 * Why the last poll of a meter failed: the counted reason, so the status page can tell the user
 * what to do, not only what happened.
 *
 * @param reason a {@code wago_modbus_errors_total} reason
 * @param exceptionCode the Modbus exception code when {@code reason} is {@code exception}, else -1
 * @param message what happened, as logged
 * @param hint the next step, in plain words
 */
public record PollError(String reason, int exceptionCode, String message, String hint) {
  /** An error whose hint follows from its reason alone. */
  public PollError(String reason, int exceptionCode, String message) {
    this(reason, exceptionCode, message, FaultHint.forReason(reason, exceptionCode));
  }

  public static PollError of(ModbusReadException e) {
    return new PollError(e.failure().label(), e.exceptionCode(), e.getMessage(), FaultHint.of(e));
  }

  public static PollError of(DataFault fault, String message) {
    return new PollError(fault.label(), -1, message);
  }
}
