package dev.wagoexporter.modbus;

import dev.wagoexporter.config.BusAddress;
import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to an RS485 bus, shared by every meter on it: the TCP connection to a Modbus
 * gateway, or the serial port of a USB RS485 stick. Both run the same request logic over a {@link
 * Link}; the serial line adds its frame gaps and wire time.
 *
 * <p>Why not the digitalpetri client: with RTU over TCP, digitalpetri 2.1.4 hands a late reply to
 * the next request and keeps pending requests in a LIFO queue (reproduced), reports RTU exception
 * codes wrongly, never notices a half-open socket, and drops malformed frames where they cannot be
 * counted. A blocking stream with exactly one request in flight makes each of these impossible by
 * construction, and the framing probe needs the raw bytes anyway. The frames are small and tested
 * on plain byte arrays; the simulator, built on the digitalpetri server, checks them against an
 * independent implementation, and libmodbus does over a serial line.
 *
 * <p>Rules: one request in flight (the methods are synchronized); before each request, bytes left
 * from an earlier reply are discarded, and after a timeout on RTU (over TCP or serial) the next
 * request waits a guard time so a late reply lands before it and is discarded too, and a late reply
 * that comes later still is told from the next request's answer by the order of replies ({@link
 * OwedReplies}); a reply that breaks the framing closes a TCP link (the stream cannot be trusted to
 * resynchronise); three timeouts in a row close it too (a half-open socket never errors); a serial
 * port stays open through timeouts and garbled frames (the guard resynchronises it; only a lost
 * device closes it); reopening backs off as the {@link ConnectionPolicy} says. On a serial line, a
 * request waits for the RTU frame gap (3.5 characters) after the last reply, and its reply timeout
 * starts once the request has left the wire.
 *
 * <p>Whoever reads through a connection that others share (the pollers, {@code /probe}, the Modbus
 * TCP proxy) holds the bus's turn ({@code poll.BusTurns}) around each request: the connection keeps
 * one request in flight, the turns decide whose request goes next.
 */
public final class BusConnection implements ModbusLine {
  private static final Logger LOG = LoggerFactory.getLogger(BusConnection.class);

  /** Opens the link of this bus; a TCP connect honours the request timeout. */
  interface LinkOpener {
    Link open(Duration timeout) throws ModbusReadException;
  }

  private final BusAddress address;
  private final ConnectionPolicy policy;
  private final TimeSource time;
  private LinkOpener opener;

  /** The open link; volatile so that {@link #close()} reaches it without the lock. */
  private volatile @Nullable Link link;

  /** Set by {@link #close()}: no later read opens the link again. */
  private volatile boolean closed;

  /** The open link's framing; none while no link is open. */
  private @Nullable WireFraming framing;

  /** The framing found or configured; none while {@code auto} has not found one. */
  private @Nullable Framing detected;

  private int consecutiveTimeouts;
  private long guardUntilNanos;
  private long lastReplyNanos;
  private boolean everAnswered;

  /** Volatile: {@link #untilNextConnect} reads it without the lock a read in flight holds. */
  private volatile long nextConnectNanos;

  private String lastOpenFailure = "not connected";
  private Duration backoff;
  private long discardedBytes;
  private long connections;

  /** RTU replies still owed to requests that timed out: kept across reconnects of the link. */
  private final OwedReplies owed = new OwedReplies();

  /**
   * The connection to a line: a gateway's TCP port in its framing ({@code auto} probes it on
   * connect), or a serial device, RTU at its line settings. Its pauses, deadlines and back-offs run
   * on {@code time}'s monotonic clock.
   */
  public BusConnection(BusConfig line, ConnectionPolicy policy, TimeSource time) {
    this(line.address(), framingOf(line), openerOf(line, policy, time), policy, time);
  }

  /** A connection over any link, for tests of the request logic on scripted byte streams. */
  BusConnection(
      BusAddress address,
      Framing framing,
      LinkOpener opener,
      ConnectionPolicy policy,
      TimeSource time) {
    this.address = address;
    this.opener = opener;
    this.policy = policy;
    this.time = time;
    this.backoff = policy.firstBackoff();
    this.detected = framing == Framing.AUTO ? null : framing;
  }

  private static Framing framingOf(BusConfig line) {
    if (line instanceof SerialConfig) {
      return Framing.RTU;
    }
    Framing framing = ((GatewayConfig) line).framing();
    if (framing == Framing.RTU) {
      throw new IllegalArgumentException("framing rtu is for a serial line, not a gateway");
    }
    return framing;
  }

  private static LinkOpener openerOf(BusConfig line, ConnectionPolicy policy, TimeSource time) {
    if (line instanceof SerialConfig serial) {
      return timeout -> SerialLink.open(serial, time);
    }
    GatewayAddress gateway = ((GatewayConfig) line).address();
    return timeout -> TcpLink.open(gateway, timeout, policy.settle(), time);
  }

  /**
   * Reads from now on at other line settings of the same serial device: {@code check} searches the
   * meter's settings this way, on the port it has open.
   */
  public synchronized void changeLine(SerialConfig newLine) throws ModbusReadException {
    if (detected != Framing.RTU || !newLine.address().equals(address)) {
      throw new IllegalArgumentException(address + " is not the serial device " + newLine.device());
    }
    opener = timeout -> SerialLink.open(newLine, time);
    if (link instanceof SerialLink serial) {
      try {
        serial.reconfigure(newLine);
      } catch (IOException e) {
        disconnect();
        throw new ModbusReadException(
            FaultReason.CONNECTION, Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
      }
    }
  }

  /** The gateway's address or the serial device: the key this connection is shared by. */
  public BusAddress address() {
    return address;
  }

  @Override
  public String describe() {
    return (address instanceof GatewayAddress ? "gateway " : "serial device ") + address;
  }

  /**
   * Opens the link now, without a request (and without the framing probe): for {@code check}, which
   * reports reachability on its own.
   */
  public synchronized void connect(Duration timeout) throws ModbusReadException {
    if (link == null) {
      link = opener.open(timeout);
    }
  }

  /**
   * The framing in use: the configured one, what the probe found, or {@link Framing#RTU} on a
   * serial line; none while {@code auto} has not found one.
   */
  @Override
  public synchronized @Nullable Framing framing() {
    return detected;
  }

  public boolean isConnected() {
    return link != null;
  }

  /**
   * How long until a read may open the link again: empty while it is open or shut down, zero when a
   * read would connect now, else the rest of the reconnect back-off (a read before then fails at
   * once). The poller schedules its extra polls after a failed connect by this, so that the
   * back-off here is the one schedule of reconnect attempts. Not synchronized: the poller asks
   * before and after each poll, and must not wait for a probe's read in flight on this connection
   * (that once let a probe flood delay the configured meter's polls past its values' freshness).
   */
  public Optional<Duration> untilNextConnect() {
    if (link != null || closed) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.max(0, nextConnectNanos - time.nanoTime())));
  }

  /**
   * Changes with every new connection, and is 0 while disconnected: things read "at connect" key on
   * it.
   */
  public synchronized long connectionId() {
    return link == null || framing == null ? 0 : connections;
  }

  /** Bytes thrown away because no request was waiting for them (late replies, noise). */
  synchronized long discardedBytes() {
    return discardedBytes;
  }

  /**
   * Reads the request's registers and returns their bytes (2 per register, big-endian), or fails
   * with the reason.
   */
  @Override
  public synchronized byte[] read(ReadRequest request) throws ModbusReadException {
    try {
      byte[] pdu = request.pdu();
      connectIfNeeded(request.unitId(), request.timeout());
      try {
        bringInStep(request);
        byte[] reply =
            exchange(openLink(), openFraming(), request.unitId(), pdu, request.timeout());
        return ReadPdu.registers(reply, request.functionCode(), request.count());
      } catch (ModbusReadException e) {
        afterFailure(e, request.timeout());
        throw e;
      }
    } catch (ModbusReadException e) {
      throw e.failure() == FaultReason.TIMEOUT
              && !everAnswered
              && address() instanceof GatewayAddress
          ? new NothingAnsweredException(e)
          : e;
    }
  }

  /**
   * Sends a request PDU as it is and returns the reply PDU as the device sent it, exception replies
   * included: for the Modbus TCP proxy, which checked the function code and the unit against its
   * config first. The exporter's own reads go through {@link #read(ReadRequest)}, which can only
   * build a read.
   */
  public synchronized byte[] forward(int unitId, byte[] pdu, Duration timeout)
      throws ModbusReadException {
    connectIfNeeded(unitId, timeout);
    try {
      return exchange(openLink(), openFraming(), unitId, pdu, timeout);
    } catch (ModbusReadException e) {
      afterFailure(e, timeout);
      throw e;
    }
  }

  /**
   * Whether anything has come back from this gateway or device since this connection was made: a
   * reply, a Modbus exception, even a garbled frame. A timeout on a port that never answered may
   * mean the wrong port ({@link NothingAnsweredException}).
   */
  synchronized boolean everAnswered() {
    return everAnswered;
  }

  /**
   * Before an RTU request whose reply length is owed to an earlier request that timed out, reads a
   * shorter prefix of the same registers, of a length nobody is owed: its answer brings the line in
   * step (see {@link OwedReplies}). Its registers are not used.
   */
  private void bringInStep(ReadRequest request) throws ModbusReadException {
    if (!(framing instanceof RtuFraming) || !owed.owes(request.count())) {
      return;
    }
    OptionalInt prefix = owed.inStepCount(request.count());
    if (prefix.isEmpty()) {
      return;
    }
    LOG.debug(
        "{}: a late reply as long as this one may still come; reading {} register(s) first",
        address,
        prefix.getAsInt());
    ReadRequest inStep = request.prefix(prefix.getAsInt());
    ReadPdu.registers(
        exchange(openLink(), openFraming(), inStep.unitId(), inStep.pdu(), inStep.timeout()),
        inStep.functionCode(),
        inStep.count());
  }

  /** The link {@link #connectIfNeeded} opened: {@link #close()} on another thread may take it. */
  private Link openLink() throws ModbusReadException {
    Link open = link;
    if (open == null) {
      throw new ModbusReadException(FaultReason.CONNECTION, address + ": connection closed");
    }
    return open;
  }

  /** The open link's framing, which {@link #connectIfNeeded} sets with it under this lock. */
  private WireFraming openFraming() {
    return Objects.requireNonNull(framing);
  }

  private byte[] exchange(Link on, WireFraming wire, int unitId, byte[] pdu, Duration timeout)
      throws ModbusReadException {
    if (on == null) {
      throw new ModbusReadException(FaultReason.CONNECTION, address + ": connection closed");
    }
    try {
      waitForBus(on);
      discardedBytes += on.discardPending();
      byte[] frame = wire.frame(unitId, pdu);
      on.write(frame);
      long deadline = time.nanoTime() + on.transmitTime(frame.length).toNanos() + timeout.toNanos();
      byte[] reply;
      try {
        reply = readReply(wire, new ReplyReader(on, deadline), unitId, pdu);
      } catch (ModbusReadException e) {
        // an exception reply, a bad CRC or a stray frame: bytes came back
        everAnswered |= e.failure() != FaultReason.TIMEOUT && e.failure() != FaultReason.CONNECTION;
        throw e;
      }
      everAnswered = true;
      lastReplyNanos = time.nanoTime();
      consecutiveTimeouts = 0;
      return reply;
    } catch (IOException e) {
      throw new ModbusReadException(
          FaultReason.CONNECTION,
          (address instanceof GatewayAddress ? "connection to " + address + " failed: " : "")
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads the reply to {@code request}. On RTU, a whole reply owed to an earlier request that timed
   * out is skipped as late, and a timeout leaves this request's reply owed (see {@link
   * OwedReplies}).
   */
  private byte[] readReply(WireFraming wire, ReplyReader in, int unitId, byte[] request)
      throws ModbusReadException, IOException {
    int functionCode = request[0] & 0xFF;
    if (!(wire instanceof RtuFraming) || (functionCode != 3 && functionCode != 4)) {
      // Modbus TCP: the transaction id pairs them; a proxied request of another kind: the reply
      // is the next frame from that unit
      return wire.readReply(in, unitId);
    }
    int expected = 2 * ReadPdu.registerCount(request);
    try {
      while (true) {
        byte[] reply = wire.readReply(in, unitId);
        if (!owed.isLate(reply, functionCode, expected)) {
          owed.answered(reply, functionCode, expected);
          return reply;
        }
        discardedBytes += reply.length + 3; // unit id and CRC around the PDU
        LOG.debug("{}: skipped a late reply of {} bytes to an earlier request", address, reply[1]);
      }
    } catch (ModbusReadException e) {
      if (e.failure() == FaultReason.TIMEOUT) {
        owed.timedOut(expected);
      }
      throw e;
    }
  }

  private void afterFailure(ModbusReadException e, Duration timeout) {
    boolean serial = detected == Framing.RTU;
    switch (e.failure()) {
      case TIMEOUT -> {
        if (serial || detected == Framing.RTU_OVER_TCP) {
          guardUntilNanos = time.nanoTime() + timeout.toNanos();
        }
        if (!serial && ++consecutiveTimeouts >= policy.timeoutsBeforeReconnect()) {
          LOG.debug(
              "{}: {} timeouts in a row, reconnecting in case the socket is half-open",
              address,
              consecutiveTimeouts);
          disconnect();
        }
      }
      case CRC, MISMATCH -> {
        if (serial) {
          // A serial port has no stream state that reopening would reset: the rest of a garbled
          // frame still arrives. It is let land and discarded before the next request, as after
          // a timeout, and the port stays open (and locked against other masters).
          guardUntilNanos = time.nanoTime() + timeout.toNanos();
        } else {
          disconnect();
        }
      }
      case CONNECTION -> disconnect();
      case EXCEPTION -> {
        // A well-formed reply: the stream is in step.
      }
      case IMPLAUSIBLE, COUNTER_DECREASE, COUNTER_JUMP, NOTHING_READ, MISCONFIGURED -> {
        // data faults: never the reason of a failed request (ModbusReadException refuses them)
      }
    }
  }

  /**
   * Keeps the configured pause between a reply and the next request (one master on the RS485 line),
   * and on a serial line at least the RTU frame gap.
   */
  private void waitForBus(Link on) throws ModbusReadException {
    Duration pause = policy.requestPause();
    Duration gap = on.frameGap().compareTo(pause) > 0 ? on.frameGap() : pause;
    long earliest = Math.max(guardUntilNanos, lastReplyNanos + gap.toNanos());
    long wait = earliest - time.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModbusReadException(FaultReason.CONNECTION, "interrupted");
      }
    }
  }

  private void connectIfNeeded(int unitId, Duration timeout) throws ModbusReadException {
    if (link != null && framing != null) {
      return;
    }
    if (closed) {
      throw new ModbusReadException(
          FaultReason.CONNECTION, "connection to " + address() + " is closed");
    }
    long now = time.nanoTime();
    if (link == null && now < nextConnectNanos) {
      // the cause stays in the message: "no such device" says more than "not connected"
      throw new ModbusReadException(
          FaultReason.CONNECTION,
          lastOpenFailure
              + "; next attempt in "
              + Duration.ofNanos(nextConnectNanos - now).toMillis()
              + " ms");
    }
    try {
      if (link == null) {
        // a link that connect() opened for check is used as it is
        link = opener.open(timeout);
        if (closed) {
          throw new ModbusReadException(
              FaultReason.CONNECTION, "connection to " + address + " is closed");
        }
      }
      if (detected == null) {
        detected = probe(unitId, timeout);
      }
      framing = detected == Framing.TCP ? new MbapFraming() : new RtuFraming();
      connections++;
      backoff = policy.firstBackoff();
      nextConnectNanos = 0;
    } catch (ModbusReadException e) {
      disconnect();
      lastOpenFailure = e.getMessage();
      nextConnectNanos = time.nanoTime() + backoff.toNanos();
      Duration doubled = backoff.multipliedBy(2);
      backoff = Durations.min(doubled, policy.maxBackoff());
      throw e;
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
      exchange(openLink(), new RtuFraming(), unitId, pdu, timeout);
      LOG.info(
          "{}: the gateway answered raw RTU frames (transparent mode); pin it with framing: rtu-over-tcp",
          address);
      return Framing.RTU_OVER_TCP;
    } catch (ModbusReadException e) {
      if (e.failure() == FaultReason.EXCEPTION) {
        LOG.info(
            "{}: the gateway answered raw RTU frames (transparent mode); pin it with framing: rtu-over-tcp",
            address);
        return Framing.RTU_OVER_TCP;
      }
      rtuFailure = e;
    }
    disconnect();
    link = opener.open(timeout);
    try {
      exchange(link, new MbapFraming(true), unitId, pdu, timeout);
    } catch (ModbusReadException e) {
      if (e.failure() != FaultReason.EXCEPTION) {
        throw new ModbusReadException(
            FaultReason.TIMEOUT,
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
        address);
    return Framing.TCP;
  }

  private void disconnect() {
    Link open = link;
    link = null;
    framing = null;
    closeLink(open);
    consecutiveTimeouts = 0;
  }

  /** Closes a link, waiting for the gateway to close its end when the policy says to linger. */
  private void closeLink(@Nullable Link open) {
    if (open instanceof TcpLink tcp && !policy.linger().isZero()) {
      tcp.closeAwaitingPeer(policy.linger());
    } else if (open != null) {
      open.close();
    }
  }

  /**
   * Closes the link for good: no later read opens it again. Not synchronized: called from another
   * thread (shutdown, a probe connection replaced), it closes the link under a read blocked in
   * {@link #read}, which then fails at once instead of waiting for its timeout. With a policy that
   * lingers, it waits up to the linger time for the gateway to close its end.
   */
  @Override
  public void close() {
    closed = true;
    Link open = link;
    link = null;
    closeLink(open);
  }
}
