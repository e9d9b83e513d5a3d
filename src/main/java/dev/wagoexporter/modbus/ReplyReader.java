package dev.wagoexporter.modbus;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Reads the bytes of one reply before a deadline. TCP is a stream: a reply may come in several
 * segments, so every read asks for exactly the bytes still missing, with the time still left.
 */
final class ReplyReader {
  private final InputStream in;
  private final Socket socket;
  private final long deadlineNanos;

  /**
   * @param socket the socket whose read timeout tracks the deadline; null for in-memory streams
   *     (tests)
   */
  ReplyReader(InputStream in, Socket socket, long deadlineNanos) {
    this.in = in;
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
  }

  static ReplyReader of(byte[] bytes) {
    return new ReplyReader(new java.io.ByteArrayInputStream(bytes), null, Long.MAX_VALUE);
  }

  byte[] read(int length) throws ModbusReadException, IOException {
    byte[] buffer = new byte[length];
    int filled = 0;
    while (filled < length) {
      if (socket != null) {
        long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
          throw timeout(filled, length);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
      }
      int n;
      try {
        n = in.read(buffer, filled, length - filled);
      } catch (SocketTimeoutException e) {
        throw timeout(filled, length);
      } catch (SocketException e) {
        throw new ModbusReadException(
            TransportFailure.CONNECTION,
            "connection lost while reading the reply: " + e.getMessage());
      }
      if (n < 0) {
        throw new ModbusReadException(
            TransportFailure.CONNECTION, "the gateway closed the connection", new EOFException());
      }
      filled += n;
    }
    return buffer;
  }

  int readByte() throws ModbusReadException, IOException {
    return read(1)[0] & 0xFF;
  }

  private static ModbusReadException timeout(int got, int wanted) {
    return new ModbusReadException(
        TransportFailure.TIMEOUT,
        got == 0 ? "no reply within the timeout" : "reply incomplete within the timeout");
  }
}
