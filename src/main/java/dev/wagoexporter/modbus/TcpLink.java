package dev.wagoexporter.modbus;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** A TCP connection to a Modbus gateway. */
final class TcpLink implements Link {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final TimeSource time;

  /**
   * A connect is a TCP handshake with the gateway, not a meter's reply: with a reply timeout of 15
   * ms (the accelerated soak) a loopback connect on a busy machine timed out now and then.
   */
  private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** Over a connected socket; {@link #open} is the way in outside tests. */
  TcpLink(Socket socket, TimeSource time) throws IOException {
    this.socket = socket;
    this.time = time;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * @param settle how long to watch for a gateway whose one client slot is taken (it accepts and
   *     closes at once), to tell it from one that does not answer; zero does not watch
   */
  static TcpLink open(GatewayAddress address, Duration timeout, Duration settle, TimeSource time)
      throws ModbusReadException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(
          new InetSocketAddress(address.host(), address.port()),
          (int) Math.max(MIN_CONNECT_TIMEOUT.toMillis(), timeout.toMillis()));
      if (!settle.isZero()) {
        settle(s, address, settle);
      }
      return new TcpLink(s, time);
    } catch (ModbusReadException e) {
      closeQuietly(s);
      throw e;
    } catch (SocketTimeoutException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          FaultReason.CONNECTION, "connect to " + address + " timed out", e);
    } catch (UnknownHostException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          FaultReason.CONNECTION,
          "cannot connect to " + address + ": the name '" + address.host() + "' does not resolve",
          e);
    } catch (IOException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          FaultReason.CONNECTION, "cannot connect to " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  @Override
  public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
    long leftMillis = (deadlineNanos - time.nanoTime()) / 1_000_000;
    if (leftMillis <= 0) {
      // The timeout is the gateway's: bytes that are here already count, even when this thread
      // comes to read them late (a busy machine, a GC pause). Reading them cannot block.
      int available = in.available();
      return available <= 0 ? 0 : in.read(buffer, offset, Math.min(length, available));
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

  /** Closes after the gateway has closed its end (or {@code linger} passed): its slot is free. */
  void closeAwaitingPeer(Duration linger) {
    awaitPeerClose(socket, linger, time);
    closeQuietly(socket);
  }

  /**
   * A gateway that serves one client at a time (the simulator's RTU transport, many transparent
   * gateways) accepts a second connection and closes it at once, before any request: wait a moment
   * for that, so it is reported as a taken slot and not as a meter that does not answer.
   */
  private static void settle(Socket s, GatewayAddress address, Duration settle)
      throws IOException, ModbusReadException {
    s.setSoTimeout((int) Math.max(1, settle.toMillis()));
    try {
      if (s.getInputStream().read() < 0) {
        throw new GatewayBusyException(
            "the gateway "
                + address
                + " accepted the connection and closed it at once, before any request");
      }
      // a byte before any request is noise; the next request discards whatever follows it
    } catch (SocketTimeoutException e) {
      // the connection is held: the slot is ours
    } catch (java.net.SocketException e) {
      throw new GatewayBusyException(
          "the gateway " + address + " reset the connection at once: " + e.getMessage());
    }
  }

  /** Half-closes and waits briefly for the gateway's end, so its one client slot is free after. */
  private static void awaitPeerClose(Socket s, Duration linger, TimeSource time) {
    try {
      s.shutdownOutput();
      s.setSoTimeout((int) Math.max(1, linger.toMillis()));
      InputStream in = s.getInputStream();
      byte[] sink = new byte[256];
      long deadline = time.nanoTime() + linger.toNanos();
      while (in.read(sink) >= 0 && time.nanoTime() < deadline) {
        // late bytes: nobody waits for them
      }
    } catch (IOException e) {
      // timed out or reset: closing anyway
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a broken socket: nothing left to do
    }
  }
}
