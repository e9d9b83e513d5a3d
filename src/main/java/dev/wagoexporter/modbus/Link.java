package dev.wagoexporter.modbus;

import java.io.IOException;
import java.time.Duration;

/**
 * The byte stream a connection's frames travel on: a gateway's TCP socket ({@link TcpLink}) or a
 * serial port ({@link SerialLink}). Framing, checks, the one request in flight, draining and guards
 * live in {@link BusConnection} and are the same for both; a link only moves bytes and knows the
 * timing of its line.
 */
interface Link {
  /** Sends a whole frame. */
  void write(byte[] frame) throws IOException;

  /**
   * Reads at least one and at most {@code length} bytes, waiting no longer than {@code
   * deadlineNanos} (the monotonic clock of the connection's {@code TimeSource}).
   *
   * @return the bytes read; 0 when the deadline passed first; -1 when the peer closed the stream or
   *     the device is gone
   */
  int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException;

  /**
   * Throws away the bytes that arrived while no request was waiting and returns how many there
   * were.
   */
  long discardPending() throws IOException;

  /**
   * How long {@code bytes} bytes take to leave: zero on TCP, their wire time on a serial line, so
   * that a reply's timeout starts when the request has been sent, not when it was queued.
   */
  Duration transmitTime(int bytes);

  /** The silence the line needs between two frames: zero on TCP, 3.5 characters on RTU. */
  Duration frameGap();

  /** Why {@link #read} returned -1, in words for the log. */
  String endOfStreamMessage();

  /**
   * Closes the stream. Safe from any thread: a read blocked in another thread returns (with -1 or
   * an exception) instead of waiting for its deadline.
   */
  void close();
}
