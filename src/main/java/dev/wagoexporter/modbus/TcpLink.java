package dev.wagoexporter.modbus;

import dev.wagoexporter.config.GatewayAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connection to a Modbus gateway. */
final class TcpLink implements Link {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private TcpLink(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static TcpLink open(GatewayAddress address, Duration timeout) throws ModbusReadException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(
          new InetSocketAddress(address.host(), address.port()),
          (int) Math.max(1, timeout.toMillis()));
      return new TcpLink(s);
    } catch (SocketTimeoutException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          TransportFailure.CONNECTION, "connect to " + address + " timed out", e);
    } catch (IOException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          TransportFailure.CONNECTION, "cannot connect to " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  @Override
  public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
    long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (leftMillis <= 0) {
      return 0;
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
    try {
      return in.read(buffer, offset, length);
    } catch (SocketTimeoutException e) {
      return 0;
    }
  }

  @Override
  public long discardPending() throws IOException {
    long discarded = 0;
    int available;
    while ((available = in.available()) > 0) {
      discarded += in.skip(available);
    }
    return discarded;
  }

  @Override
  public Duration transmitTime(int bytes) {
    return Duration.ZERO;
  }

  @Override
  public Duration frameGap() {
    return Duration.ZERO; // the gateway keeps the gaps on its RS485 side
  }

  @Override
  public String endOfStreamMessage() {
    return "the gateway closed the connection";
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a broken socket: nothing left to do
    }
  }
}
