package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;
import java.util.Objects;

/** A request that failed; {@link #failure()} says how, for counting and for the log. */
public class ModbusReadException extends Exception {
  private final FaultReason failure;
  private final int exceptionCode;

  public ModbusReadException(FaultReason failure, String message) {
    this(failure, -1, message);
  }

  ModbusReadException(FaultReason failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = transport(failure);
    this.exceptionCode = -1;
  }

  public ModbusReadException(FaultReason failure, int exceptionCode, String message) {
    super(message);
    this.failure = transport(failure);
    this.exceptionCode = exceptionCode;
  }

  /** Never null: every constructor takes the message (it is what the user reads). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  /** A request fails for a transport reason; a refused value is not a failed request. */
  private static FaultReason transport(FaultReason failure) {
    if (!failure.isTransport()) {
      throw new IllegalStateException(failure + " is a data fault, not a failed request");
    }
    return failure;
  }

  /** A transport reason ({@link FaultReason#isTransport()}). */
  public FaultReason failure() {
    return failure;
  }

  /** The Modbus exception code for {@link FaultReason#EXCEPTION}, else -1. */
  public int exceptionCode() {
    return exceptionCode;
  }

  /** The next step for the user, as the status page, the JSON API and {@code check} give it. */
  public String hint() {
    return failure.hint(exceptionCode);
  }

  /**
   * Exception 02 (illegal data address) or 03 (illegal data value): the meter refuses this block's
   * range.
   */
  public boolean isRangeRefused() {
    return failure == FaultReason.EXCEPTION && (exceptionCode == 2 || exceptionCode == 3);
  }
}
