package dev.wagoexporter.sim;

import dev.wagoexporter.testsupport.Crc16Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A plain socket speaking bytes, independent of the Modbus library, to see exactly what the
 * simulator puts on the wire and when.
 */
final class RawModbusSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawModbusSocket(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  /** RTU frame of a read of holding registers, CRC appended low byte first. */
  static byte[] rtuRead(int unit, int address, int quantity) {
    return Crc16Reference.withCrc(
        new byte[] {
          (byte) unit,
          3,
          (byte) (address >> 8),
          (byte) address,
          (byte) (quantity >> 8),
          (byte) quantity
        });
  }

  /** MBAP frame of a read of holding registers. */
  static byte[] tcpRead(int transactionId, int unit, int address, int quantity) {
    return new byte[] {
      (byte) (transactionId >> 8),
      (byte) transactionId,
      0,
      0,
      0,
      6,
      (byte) unit,
      3,
      (byte) (address >> 8),
      (byte) address,
      (byte) (quantity >> 8),
      (byte) quantity
    };
  }

  /**
   * MBAP frame of a request whose body is an address and a quantity or value: function codes 01-06.
   */
  static byte[] tcpRequest(
      int transactionId, int unit, int functionCode, int address, int quantityOrValue) {
    return new byte[] {
      (byte) (transactionId >> 8),
      (byte) transactionId,
      0,
      0,
      0,
      6,
      (byte) unit,
      (byte) functionCode,
      (byte) (address >> 8),
      (byte) address,
      (byte) (quantityOrValue >> 8),
      (byte) quantityOrValue
    };
  }

  /** One whole MBAP frame (header and PDU), or throws SocketTimeoutException / EOFException. */
  byte[] readTcpFrame(Duration timeout) throws IOException {
    byte[] header = read(7, timeout);
    int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
    byte[] rest = read(length - 1, timeout);
    byte[] frame = new byte[header.length + rest.length];
    System.arraycopy(header, 0, frame, 0, header.length);
    System.arraycopy(rest, 0, frame, header.length, rest.length);
    return frame;
  }

  void send(byte[] frame) throws IOException {
    socket.getOutputStream().write(frame);
    socket.getOutputStream().flush();
  }

  /** Exactly {@code n} bytes, or throws SocketTimeoutException / EOFException. */
  byte[] read(int n, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    byte[] buf = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(buf, got, n - got);
      if (r < 0) {
        throw new java.io.EOFException("connection closed after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return buf;
  }

  /**
   * What arrives within {@code timeout}: empty if nothing, or -1 as result of {@link
   * #closedByPeer}.
   */
  byte[] readAvailable(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    var out = new ByteArrayOutputStream();
    byte[] buf = new byte[512];
    try {
      int r = in.read(buf);
      if (r > 0) {
        out.write(buf, 0, r);
      }
    } catch (SocketTimeoutException e) {
      // nothing arrived
    }
    return out.toByteArray();
  }

  /** Whether the peer closed the connection within {@code timeout} (end of stream, or a reset). */
  boolean closedByPeer(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
