package dev.wagoexporter.modbus;

import dev.wagoexporter.config.GatewayAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one TCP connection to a Modbus gateway, shared by every meter behind it.
 *
 * <p>Why not the digitalpetri client: with RTU over TCP, digitalpetri 2.1.4 hands a late reply to
 * the next request and keeps pending requests in a LIFO queue (reproduced), reports RTU exception
 * codes wrongly, never notices a half-open socket, and drops malformed frames where they cannot be
 * counted. A blocking socket with exactly one request in flight makes each of these impossible by
 * construction, and the framing probe needs the raw bytes anyway. The frames are small and tested
 * on plain byte arrays; the simulator, built on the digitalpetri server, checks them against an
 * independent implementation.
 *
 * <p>Rules: one request in flight (the methods are synchronized); before each request, bytes left
 * from an earlier reply are discarded, and after a timeout on RTU the next request waits a guard
 * time so a late reply lands before it and is discarded too; a reply that breaks the framing closes
 * the socket (the stream cannot be trusted to resynchronise); three timeouts in a row close it too
 * (a half-open socket never errors); reconnects back off exponentially from 0.5 s up to {@code
 * maxBackoff} (the exporter passes the shortest poll interval on the gateway, at most 30 s, so a
 * gateway that comes back is read again within one poll).
 */
public final class GatewayConnection implements ModbusLine {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);
  private static final int TIMEOUTS_BEFORE_RECONNECT = 3;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);

  /** How long {@link #forDiagnosis} connections watch for a gateway that drops them at once. */
  private static final Duration SETTLE = Duration.ofMillis(150);

  /** How long {@link #forDiagnosis} connections wait on close for the gateway to close its end. */
  private static final Duration LINGER = Duration.ofMillis(500);

  private final GatewayAddress address;
  private final Duration requestPause;
  private final Duration maxBackoff;
  private final boolean diagnosis;

  private Socket socket;

  /**
   * The open socket, for {@link #close} from another thread: closing it makes a blocked read fail
   * at once, where the monitor would wait for the read's timeout (SIGTERM must not wait for it).
   */
  private volatile Socket openSocket;

  private volatile boolean closed;
  private WireFraming framing;
  private Framing detected;
  private int consecutiveTimeouts;
  private long guardUntilNanos;
  private long lastReplyNanos;
  private long nextConnectNanos;
  private final Duration firstBackoff;
  private Duration backoff;
  private long discardedBytes;
  private long connections;

  public GatewayConnection(
      GatewayAddress address, Framing framing, Duration requestPause, Duration maxBackoff) {
    this(address, framing, requestPause, maxBackoff, false);
  }

  private GatewayConnection(
      GatewayAddress address,
      Framing framing,
      Duration requestPause,
      Duration maxBackoff,
      boolean diagnosis) {
    this.diagnosis = diagnosis;
    this.address = address;
    this.requestPause = requestPause;
    this.maxBackoff = maxBackoff;
    this.firstBackoff = maxBackoff.compareTo(MIN_BACKOFF) < 0 ? maxBackoff : MIN_BACKOFF;
    this.backoff = firstBackoff;
    this.detected = framing == Framing.AUTO ? null : framing;
  }

  /**
   * A connection for {@code check}: it keeps its one socket through timeouts (a scan over unit ids
   * with nobody behind them must not reconnect to a gateway that serves one client), tells a
   * gateway that takes the connection and drops it at once (its one client slot is taken) from one
   * that does not answer, and on close waits for the gateway to let go of the connection, so that
   * the next client (another check, the exporter) finds the slot free.
   */
  public static GatewayConnection forDiagnosis(GatewayAddress address, Framing framing) {
    return new GatewayConnection(address, framing, Duration.ZERO, Duration.ZERO, true);
  }

  public GatewayAddress address() {
    return address;
  }

  @Override
  public String describe() {
    return "gateway " + address;
  }

  /**
   * Opens the TCP connection now, without a request (and without the framing probe): for {@code
   * check}, which reports reachability on its own.
   */
  public synchronized void connect(Duration timeout) throws ModbusReadException {
    if (socket == null) {
      socket = open(timeout);
      openSocket = socket;
    }
  }

  /**
   * The framing in use: the configured one, or what the probe found; null while {@code auto} has
   * not found one.
   */
  @Override
  public synchronized Framing framing() {
    return detected;
  }

  public synchronized boolean isConnected() {
    return socket != null;
  }

  /**
   * Changes with every new connection, and is 0 while disconnected: things read "at connect" key on
   * it.
   */
  public synchronized long connectionId() {
    return socket == null || framing == null ? 0 : connections;
  }

  /** Bytes thrown away because no request was waiting for them (late replies, noise). */
  public synchronized long discardedBytes() {
    return discardedBytes;
  }

  /**
   * Reads {@code count} registers from {@code address} of unit {@code unitId} and returns their
   * bytes (2 per register, big-endian), or fails with the reason.
   */
  @Override
  public synchronized byte[] read(
      int unitId, int functionCode, int address, int count, Duration timeout)
      throws ModbusReadException {
    byte[] pdu = ReadPdu.request(functionCode, address, count);
    connectIfNeeded(unitId, timeout);
    try {
      byte[] reply = exchange(framing, unitId, pdu, timeout);
      return ReadPdu.registers(reply, functionCode, count);
    } catch (ModbusReadException e) {
      afterFailure(e, timeout);
      throw e;
    }
  }

  private byte[] exchange(WireFraming wire, int unitId, byte[] pdu, Duration timeout)
      throws ModbusReadException {
    try {
      waitForBus();
      discardPending();
      OutputStream out = socket.getOutputStream();
      out.write(wire.frame(unitId, pdu));
      out.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] reply =
          wire.readReply(new ReplyReader(socket.getInputStream(), socket, deadline), unitId);
      lastReplyNanos = System.nanoTime();
      consecutiveTimeouts = 0;
      return reply;
    } catch (IOException e) {
      throw new ModbusReadException(
          TransportFailure.CONNECTION,
          "connection to " + address() + " failed: " + e.getMessage(),
          e);
    }
  }

  private void afterFailure(ModbusReadException e, Duration timeout) {
    switch (e.failure()) {
      case TIMEOUT -> {
        if (detected == Framing.RTU_OVER_TCP) {
          guardUntilNanos = System.nanoTime() + timeout.toNanos();
        }
        if (++consecutiveTimeouts >= TIMEOUTS_BEFORE_RECONNECT && !diagnosis) {
          LOG.debug(
              "{}: {} timeouts in a row, reconnecting in case the socket is half-open",
              address(),
              consecutiveTimeouts);
          disconnect();
        }
      }
      case CONNECTION, CRC, MISMATCH -> disconnect();
      case EXCEPTION -> {
        // A well-formed reply: the stream is in step.
      }
    }
  }

  /**
   * Keeps the configured pause between a reply and the next request (one master on the RS485 line).
   */
  private void waitForBus() throws ModbusReadException {
    long earliest = Math.max(guardUntilNanos, lastReplyNanos + requestPause.toNanos());
    long wait = earliest - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModbusReadException(TransportFailure.CONNECTION, "interrupted");
      }
    }
    guardUntilNanos = 0;
  }

  /**
   * Throws away whatever arrived while no request was waiting: a late reply must never answer the
   * next request.
   */
  private void discardPending() throws IOException {
    InputStream in = socket.getInputStream();
    int available;
    while ((available = in.available()) > 0) {
      discardedBytes += in.skip(available);
    }
  }

  private void connectIfNeeded(int unitId, Duration timeout) throws ModbusReadException {
    if (socket != null && framing != null) {
      return;
    }
    if (closed) {
      throw new ModbusReadException(
          TransportFailure.CONNECTION, "connection to " + address() + " is closed");
    }
    long now = System.nanoTime();
    if (socket == null && now < nextConnectNanos) {
      throw new ModbusReadException(
          TransportFailure.CONNECTION,
          "not connected to "
              + address()
              + "; next attempt in "
              + Duration.ofNanos(nextConnectNanos - now).toMillis()
              + " ms");
    }
    try {
      if (socket == null) {
        socket = open(timeout);
        openSocket = socket;
        if (closed) {
          throw new ModbusReadException(
              TransportFailure.CONNECTION, "connection to " + address() + " is closed");
        }
      }
      if (detected == null) {
        detected = probe(unitId, timeout);
      }
      framing = detected == Framing.TCP ? new MbapFraming() : new RtuFraming();
      connections++;
      backoff = firstBackoff;
      nextConnectNanos = 0;
    } catch (ModbusReadException e) {
      disconnect();
      nextConnectNanos = System.nanoTime() + backoff.toNanos();
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      throw e;
    }
  }

  private Socket open(Duration timeout) throws ModbusReadException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(
          new InetSocketAddress(address.host(), address.port()),
          (int) Math.max(1, timeout.toMillis()));
      if (diagnosis) {
        settle(s);
      }
      return s;
    } catch (ModbusReadException e) {
      closeQuietly(s);
      throw e;
    } catch (SocketTimeoutException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          TransportFailure.CONNECTION, "connect to " + address() + " timed out", e);
    } catch (IOException e) {
      closeQuietly(s);
      throw new ModbusReadException(
          TransportFailure.CONNECTION, "cannot connect to " + address() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A gateway that serves one client at a time (the simulator's RTU transport, many transparent
   * gateways) accepts a second connection and closes it at once, before any request: wait a moment
   * for that, so it is reported as a taken slot and not as a meter that does not answer.
   */
  private void settle(Socket s) throws IOException, ModbusReadException {
    s.setSoTimeout((int) SETTLE.toMillis());
    try {
      int first = s.getInputStream().read();
      if (first < 0) {
        throw new GatewayBusyException(
            "the gateway "
                + address
                + " accepted the connection and closed it at once, before any request");
      }
      discardedBytes++; // nothing was asked yet: whatever came is noise
    } catch (SocketTimeoutException e) {
      // the connection is held: the slot is ours
    } catch (java.net.SocketException e) {
      throw new GatewayBusyException(
          "the gateway " + address + " reset the connection at once: " + e.getMessage());
    }
  }

  /**
   * Finds the gateway's mode with a read of one register, RTU first: a protocol-conversion gateway
   * rejects an RTU frame as a bad MBAP header. Then MBAP with a transaction id of 0xFFxx, whose
   * first byte can never address a device on the RS485 line of a transparent gateway.
   */
  private Framing probe(int unitId, Duration timeout) throws ModbusReadException {
    byte[] pdu = ReadPdu.request(3, 0x4000, 2);
    ModbusReadException rtuFailure;
    try {
      exchange(new RtuFraming(), unitId, pdu, timeout);
      LOG.info(
          "{}: the gateway answered raw RTU frames (transparent mode); pin it with framing: rtu-over-tcp",
          address());
      return Framing.RTU_OVER_TCP;
    } catch (ModbusReadException e) {
      if (e.failure() == TransportFailure.EXCEPTION) {
        LOG.info(
            "{}: the gateway answered raw RTU frames (transparent mode); pin it with framing: rtu-over-tcp",
            address());
        return Framing.RTU_OVER_TCP;
      }
      rtuFailure = e;
    }
    disconnect();
    socket = open(timeout);
    openSocket = socket;
    try {
      exchange(new MbapFraming(true), unitId, pdu, timeout);
    } catch (ModbusReadException e) {
      if (e.failure() != TransportFailure.EXCEPTION) {
        throw new ModbusReadException(
            TransportFailure.TIMEOUT,
            "framing probe: no valid reply from unit "
                + unitId
                + " in either framing (RTU: "
                + rtuFailure.getMessage()
                + "; Modbus TCP: "
                + e.getMessage()
                + "); check the unit id and that a meter is on the bus");
      }
    }
    LOG.info(
        "{}: the gateway answered Modbus TCP (protocol conversion mode); pin it with framing: tcp",
        address());
    return Framing.TCP;
  }

  private void disconnect() {
    if (socket != null) {
      if (diagnosis) {
        awaitPeerClose(socket);
      }
      closeQuietly(socket);
      socket = null;
    }
    consecutiveTimeouts = 0;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a broken socket: nothing left to do
    }
  }

  /**
   * Closes the socket now, safe to call from any thread while a read is in flight: that read fails
   * at once with a connection error instead of waiting for its timeout. The next read reconnects.
   */
  @Override
  public void close() {
    if (diagnosis) {
      // check's own thread: leave politely, so that the gateway's one client slot is free after
      synchronized (this) {
        disconnect();
      }
      return;
    }
    Socket s = openSocket;
    if (s != null) {
      closeQuietly(s);
    }
  }

  /** Like {@link #close}, and no later read reconnects: for stopping the exporter. */
  public void shutDown() {
    closed = true;
    close();
  }

  /** Half-closes and waits briefly for the gateway's end to close: its client slot is free then. */
  private static void awaitPeerClose(Socket s) {
    try {
      s.shutdownOutput();
      s.setSoTimeout((int) LINGER.toMillis());
      InputStream in = s.getInputStream();
      byte[] sink = new byte[256];
      long deadline = System.nanoTime() + LINGER.toNanos();
      while (in.read(sink) >= 0 && System.nanoTime() < deadline) {
        // late bytes: nobody waits for them
      }
    } catch (IOException e) {
      // timed out or reset: closing anyway
    }
  }
}
