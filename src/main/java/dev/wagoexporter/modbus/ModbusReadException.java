package dev.wagoexporter.modbus;

import java.util.Objects;

/** A request that failed; {@link #failure()} says how, for counting and for the log. */
public class ModbusReadException extends Exception {
  private final TransportFailure failure;
  private final int exceptionCode;

  public ModbusReadException(TransportFailure failure, String message) {
    this(failure, -1, message);
  }

  ModbusReadException(TransportFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
    this.exceptionCode = -1;
  }

  public ModbusReadException(TransportFailure failure, int exceptionCode, String message) {
    super(message);
    this.failure = failure;
    this.exceptionCode = exceptionCode;
  }

  /** Never null: every constructor takes the message (it is what the user reads). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  public TransportFailure failure() {
    return failure;
  }

  /** The Modbus exception code for {@link TransportFailure#EXCEPTION}, else -1. */
  public int exceptionCode() {
    return exceptionCode;
  }

  /**
   * Exception 02 (illegal data address) or 03 (illegal data value): the meter refuses this block's
   * range.
   */
  public boolean isRangeRefused() {
    return failure == TransportFailure.EXCEPTION && (exceptionCode == 2 || exceptionCode == 3);
  }
}
