package dev.wagoexporter.poll;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.ModbusReadException;

/**
 * Why the last poll of a meter failed: the counted reason, so the status page can tell the user
 * what to do, not only what happened.
 *
 * @param reason the counted reason
 * @param exceptionCode the Modbus exception code when {@code reason} is {@code exception}, else -1
 * @param message what happened, as logged
 * @param hint the next step, in plain words
 */
public record PollError(FaultReason reason, int exceptionCode, String message, String hint) {
  /** An error whose hint follows from its reason alone. */
  public PollError(FaultReason reason, int exceptionCode, String message) {
    this(reason, exceptionCode, message, reason.hint(exceptionCode));
  }

  public static PollError of(ModbusReadException e) {
    return new PollError(e.failure(), e.exceptionCode(), e.getMessage(), e.hint());
  }

  public static PollError of(FaultReason fault, String message) {
    return new PollError(fault, -1, message);
  }
}
