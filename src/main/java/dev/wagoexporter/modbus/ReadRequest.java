package dev.wagoexporter.modbus;

import java.time.Duration;
import java.util.Objects;

/**
 * One register read: {@code count} registers from {@code address} of unit {@code unitId}, with
 * function code 03 or 04, waiting at most {@code timeout} for the reply.
 */
public record ReadRequest(int unitId, int functionCode, int address, int count, Duration timeout) {
  public ReadRequest {
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The same read of the first {@code fewer} registers. */
  ReadRequest prefix(int fewer) {
    return new ReadRequest(unitId, functionCode, address, fewer, timeout);
  }

  /** The request PDU: function code, address, count. */
  byte[] pdu() {
    return ReadPdu.request(functionCode, address, count);
  }
}
