package dev.wagoexporter.modbus;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The register replies an RTU line may still deliver: those of requests that timed out. RTU has no
 * transaction id, so a reply that comes after its request timed out looks exactly like the answer
 * to a later request of the same length (same unit, function code, byte count, valid CRC): with
 * blocks of equal size, a busy gateway's late voltages were once exported as frequencies. A guard
 * time after a timeout lets most late replies land and be discarded, but no guard is long enough
 * for every late reply.
 *
 * <p>What makes it certain is the order: one master on a half-duplex bus, so a meter answers
 * requests one after another and a gateway forwards the replies in that order. Once a reply of a
 * length that no earlier request is owed arrives, every earlier reply has arrived or never will. So
 * a reply whose length is owed to an earlier request, and is not the length asked for, is skipped
 * as late; and before a request whose reply length is itself owed, the connection first reads a
 * shorter prefix of the same registers, of a length nobody is owed: its answer brings the line in
 * step.
 */
final class OwedReplies {
  /** Byte counts of data replies owed to requests that timed out. */
  private final Set<Integer> byteCounts = new HashSet<>();

  /** A request expecting {@code byteCount} bytes of registers timed out: its reply may come. */
  void timedOut(int byteCount) {
    byteCounts.add(byteCount);
  }

  /**
   * True when {@code pdu}, read for a request expecting {@code expectedByteCount}, is a whole data
   * reply owed to an earlier request and not the one asked for.
   */
  boolean isLate(byte[] pdu, int functionCode, int expectedByteCount) {
    int byteCount = dataByteCount(pdu, functionCode);
    return byteCount >= 0 && byteCount != expectedByteCount && byteCounts.contains(byteCount);
  }

  /**
   * The reply {@code pdu} was taken as the answer to a request expecting {@code expectedByteCount}:
   * when that length was owed to nobody else, the line is in step and nothing is owed any more.
   */
  void answered(byte[] pdu, int functionCode, int expectedByteCount) {
    if (dataByteCount(pdu, functionCode) == expectedByteCount
        && !byteCounts.contains(expectedByteCount)) {
      byteCounts.clear();
    }
  }

  /** True when an earlier request is owed a reply as long as one of {@code count} registers. */
  boolean owes(int count) {
    return byteCounts.contains(2 * count);
  }

  /**
   * A register count below {@code count} whose reply length nobody is owed, even ones first (a
   * prefix of whole float32 values), for the read that brings the line in step; empty for a
   * one-register request, which then relies on the guard time alone.
   */
  OptionalInt inStepCount(int count) {
    for (int parity = 0; parity < 2; parity++) {
      for (int c = 2 - parity; c < count; c += 2) {
        if (!owes(c)) {
          return OptionalInt.of(c);
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The byte count of a data reply to {@code functionCode}, or -1 for anything else. */
  private static int dataByteCount(byte[] pdu, int functionCode) {
    if (pdu.length < 2 || (pdu[0] & 0xFF) != functionCode) {
      return -1;
    }
    int byteCount = pdu[1] & 0xFF;
    return pdu.length == 2 + byteCount ? byteCount : -1;
  }
}
