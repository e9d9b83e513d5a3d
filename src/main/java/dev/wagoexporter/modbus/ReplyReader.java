package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads the bytes of one reply before a deadline. TCP and serial lines are streams: a reply may
 * come in several pieces, so every read asks for exactly the bytes still missing, with the time
 * still left.
 */
final class ReplyReader {
  private final Link link;
  private final long deadlineNanos;

  ReplyReader(Link link, long deadlineNanos) {
    this.link = link;
    this.deadlineNanos = deadlineNanos;
  }

  /** A reader of bytes in memory, for tests and fuzzing of the framings. */
  static ReplyReader of(byte[] bytes) {
    return new ReplyReader(new BytesInMemory(bytes), Long.MAX_VALUE);
  }

  byte[] read(int length) throws ModbusReadException, IOException {
    byte[] buffer = new byte[length];
    int filled = 0;
    while (filled < length) {
      int n;
      try {
        n = link.read(buffer, filled, length - filled, deadlineNanos);
      } catch (IOException e) {
        throw new ModbusReadException(
            FaultReason.CONNECTION,
            "connection lost while reading the reply: " + e.getMessage(),
            e);
      }
      if (n < 0) {
        throw new ModbusReadException(
            FaultReason.CONNECTION, link.endOfStreamMessage(), new EOFException());
      }
      if (n == 0) { // a link returns 0 only once its deadline has passed
        throw new ModbusReadException(
            FaultReason.TIMEOUT,
            filled == 0 ? "no reply within the timeout" : "reply incomplete within the timeout");
      }
      filled += n;
    }
    return buffer;
  }

  int readByte() throws ModbusReadException, IOException {
    return read(1)[0] & 0xFF;
  }

  /** A link over bytes in memory: their end is the peer closing the stream. */
  private static final class BytesInMemory implements Link {
    private final ByteArrayInputStream in;

    BytesInMemory(byte[] bytes) {
      this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public void write(byte[] frame) {
      throw new UnsupportedOperationException("replies only");
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) {
      return in.read(buffer, offset, length);
    }

    @Override
    public long discardPending() {
      return in.skip(in.available());
    }

    @Override
    public Duration transmitTime(int bytes) {
      return Duration.ZERO;
    }

    @Override
    public Duration frameGap() {
      return Duration.ZERO;
    }

    @Override
    public String endOfStreamMessage() {
      return "the stream ended";
    }

    @Override
    public void close() {}
  }
}
