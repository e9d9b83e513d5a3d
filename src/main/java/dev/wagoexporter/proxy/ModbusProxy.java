package dev.wagoexporter.proxy;

import dev.wagoexporter.config.ListenException;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.poll.BusTurns;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's Modbus TCP server for the other programs on its RS485 bus: the exporter stays the line's
 * one master and puts their requests on it in turn with its polls (docs/design.md, "One master on
 * the line"). Clients speak Modbus TCP whatever the line's framing; the connection translates.
 *
 * <p>JDK blocking sockets, one thread per client: at most {@link #MAX_CLIENTS} clients, {@link
 * #MAX_CLIENTS_PER_PEER} from one address, the longest idle displaced by a newcomer ({@link
 * ProxyClients}); each with one request in flight, so a client's queued requests are bounded by TCP
 * itself (it cannot send more than its socket buffer before it reads replies) and a flooding client
 * holds at most one place in the line's queue. Clients take their turns first come, first served (a
 * fair queue among them), and each turn behind every waiting poll ({@link BusTurns#takeForProbe}),
 * so a client delays a poll by at most the one request on the line and cannot starve another
 * client. A request must arrive whole within {@link #REQUEST_DEADLINE} of its first byte, and a
 * reply must be taken within {@link #WRITE_DEADLINE}, or the client is disconnected and counted.
 */
public final class ModbusProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModbusProxy.class);

  /**
   * Clients served at once; a newcomer displaces the client idle longest, or is closed and counted
   * when all are in a request.
   */
  public static final int MAX_CLIENTS = 16;

  /** Clients from one address: one host's hoard leaves room for the others. */
  public static final int MAX_CLIENTS_PER_PEER = 8;

  /** From a request's first byte to its last, at most this (a header then silence is cut off). */
  public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(2);

  /** A reply not taken by the client within this (it does not read) ends the connection. */
  public static final Duration WRITE_DEADLINE = Duration.ofSeconds(2);

  /**
   * A client's request waits for its turn at most as long as this many requests can take on the
   * line (the reply timeout each), then gets 0B: the clients ahead of it and a poll go first.
   */
  private static final int TURN_WAIT_REQUESTS = 4;

  /** The reply buffer of a client's socket: small, so a client that never reads is seen soon. */
  private static final int SEND_BUFFER = 4096;

  /** A client that sends nothing for this long is disconnected. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<Integer> READS = Set.of(1, 2, 3, 4);
  private static final Set<Integer> WRITES = Set.of(5, 6, 15, 16, 22, 23);
  private static final int ILLEGAL_FUNCTION = 0x01;
  private static final int TARGET_FAILED = 0x0B;

  private final ProxyConfig config;
  private final BusConnection line;
  private final BusTurns turns;
  private final Set<Integer> meterUnits;
  private final SnapshotAnswers snapshots;
  private final Duration timeout;
  private final ServerSocket server;
  private final ProxyClients clients = new ProxyClients(MAX_CLIENTS_PER_PEER, MAX_CLIENTS);

  /** First come, first served among clients, before the line's turn (which polls take first). */
  private final Semaphore clientTurns = new Semaphore(1, true);

  private final ScheduledExecutorService writeWatch =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "proxy-write-deadline");
            t.setDaemon(true);
            return t;
          });
  private final ProxyCounters counters = new ProxyCounters();
  private final AtomicLong busyNanos = new AtomicLong();

  private ModbusProxy(
      ProxyConfig config,
      BusConnection line,
      BusTurns turns,
      Set<Integer> meterUnits,
      SnapshotAnswers snapshots,
      Duration timeout,
      ServerSocket server) {
    this.config = config;
    this.line = line;
    this.turns = turns;
    this.meterUnits = Set.copyOf(meterUnits);
    this.snapshots = snapshots;
    this.timeout = timeout;
    this.server = server;
  }

  /**
   * Listens and serves clients on a thread of its own.
   *
   * @param meterUnits the exporter's own meters on the line: readable, never writable
   * @param timeout the reply timeout of one request on the line
   * @throws ListenException when the address cannot be bound, with the address in the message
   */
  public static ModbusProxy start(
      ProxyConfig config,
      BusConnection line,
      BusTurns turns,
      Set<Integer> meterUnits,
      Duration timeout)
      throws IOException {
    return start(config, line, turns, meterUnits, SnapshotAnswers.NONE, timeout);
  }

  /**
   * Like {@link #start(ProxyConfig, BusConnection, BusTurns, Set, Duration)}, answering reads of
   * the meters from their latest fresh poll where it holds the registers.
   */
  public static ModbusProxy start(
      ProxyConfig config,
      BusConnection line,
      BusTurns turns,
      Set<Integer> meterUnits,
      SnapshotAnswers snapshots,
      Duration timeout)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(
          config.listen().allInterfaces()
              ? new InetSocketAddress(config.listen().port())
              : new InetSocketAddress(config.listen().host(), config.listen().port()));
    } catch (IOException e) {
      server.close();
      throw new ListenException(
          config.listen().toString(),
          " for the Modbus TCP proxy",
          e,
          "choose another port with --proxy.listen-address or proxy.listen_address");
    }
    ModbusProxy proxy =
        new ModbusProxy(config, line, turns, meterUnits, snapshots, timeout, server);
    Thread accept = new Thread(proxy::acceptLoop, "proxy-" + line.address());
    accept.setDaemon(true);
    accept.start();
    LOG.info(
        "{}: Modbus TCP proxy listening on {} (meters {} read-only, units {} readable, {}"
            + " writable)",
        line.describe(),
        config.listen(),
        meterUnits,
        config.readableUnits(),
        config.writableUnits());
    return proxy;
  }

  /** The line this proxy serves, as its connection names it: {@code host:port} or the device. */
  public String line() {
    return String.valueOf(line.address());
  }

  public int port() {
    return server.getLocalPort();
  }

  public ProxyConfig config() {
    return config;
  }

  /** The connected clients' addresses, for the status page. */
  public List<String> clients() {
    return clients.sockets().stream()
        .map(s -> String.valueOf(s.getRemoteSocketAddress()))
        .sorted()
        .toList();
  }

  /** This proxy as the status page shows it, now. */
  public ProxyView view() {
    long requests = 0;
    long snapshots = 0;
    long errors = 0;
    for (var counted : counters.requests().entrySet()) {
      requests += counted.getValue();
      String result = counted.getKey().result();
      if (result.equals("snapshot")) {
        snapshots += counted.getValue();
      } else if (!result.equals("ok")) {
        errors += counted.getValue();
      }
    }
    return new ProxyView(
        line(),
        String.valueOf(config.listen()),
        config.units().stream().sorted().toList(),
        config.writableUnits().stream().sorted().toList(),
        clients.views(),
        requests,
        snapshots,
        errors);
  }

  public ProxyCounters counters() {
    return counters;
  }

  /** Time the line spent on proxied requests, in seconds. */
  public double lineBusySeconds() {
    return busyNanos.get() / 1e9;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("Modbus TCP proxy on {}: accept failed: {}", config.listen(), e.getMessage());
        }
        continue;
      }
      Optional<ProxyClients.Client> admitted =
          clients.admit(
              client,
              evicted -> {
                counters.evictedClient();
                LOG.info(
                    "Modbus TCP proxy: closed idle client {} to make room for {}",
                    evicted.socket.getRemoteSocketAddress(),
                    client.getRemoteSocketAddress());
              });
      if (admitted.isEmpty()) {
        counters.rejectedClient();
        LOG.warn(
            "Modbus TCP proxy: refused {}: every client connection is in a request",
            client.getRemoteSocketAddress());
        closeQuietly(client);
        continue;
      }
      Thread t =
          new Thread(
              () -> serve(admitted.get()), "proxy-client-" + client.getRemoteSocketAddress());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(ProxyClients.Client held) {
    Socket client = held.socket;
    LOG.info("Modbus TCP proxy: client {} connected", client.getRemoteSocketAddress());
    String end = "closed the connection";
    boolean[] inRequest = {false};
    AtomicBoolean stalled = new AtomicBoolean();
    try {
      client.setTcpNoDelay(true);
      client.setSendBufferSize(SEND_BUFFER);
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        client.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
        inRequest[0] = false;
        Optional<MbapRequest> request =
            MbapRequest.read(
                in,
                () -> {
                  inRequest[0] = true;
                  held.requestStarted();
                  client.setSoTimeout((int) REQUEST_DEADLINE.toMillis());
                });
        if (request.isEmpty()) {
          break;
        }
        byte[] reply = request.get().reply(answer(request.get()));
        writeWithin(client, out, reply, stalled);
        held.requestAnswered();
      }
    } catch (MalformedRequestException e) {
      counters.malformedClient();
      end = "disconnected: " + e.getMessage();
    } catch (SocketTimeoutException e) {
      if (inRequest[0]) {
        counters.malformedClient();
        end =
            "disconnected: a request not whole "
                + REQUEST_DEADLINE.toSeconds()
                + " s after it began";
      } else {
        counters.idleClient();
        end = "disconnected: idle for " + IDLE_TIMEOUT.toSeconds() + " s";
      }
    } catch (EOFException e) {
      end = "closed the connection in the middle of a request";
    } catch (IOException e) {
      end =
          stalled.get()
              ? "disconnected: did not read its reply within " + WRITE_DEADLINE.toSeconds() + " s"
              : "connection failed: " + e.getMessage();
    } finally {
      clients.forget(held);
      closeQuietly(client);
    }
    LOG.info("Modbus TCP proxy: client {} {}", client.getRemoteSocketAddress(), end);
  }

  /**
   * Writes a reply, closing the connection when the client has not taken it within {@link
   * #WRITE_DEADLINE}: a blocking socket has no write timeout, and a client that never reads would
   * otherwise hold its thread and its place for good.
   */
  private void writeWithin(Socket client, OutputStream out, byte[] reply, AtomicBoolean stalled)
      throws IOException {
    if (writeWatch.isShutdown()) {
      throw new IOException("the proxy is closing");
    }
    ScheduledFuture<?> deadline =
        writeWatch.schedule(
            () -> {
              stalled.set(true);
              counters.stalledClient();
              closeQuietly(client);
            },
            WRITE_DEADLINE.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      out.write(reply);
      out.flush();
    } finally {
      deadline.cancel(false);
    }
  }

  /** The reply PDU to one request: the device's, or an exception of the proxy's own. */
  byte[] answer(MbapRequest request) {
    int unit = request.unitId();
    int function = request.functionCode();
    if (!READS.contains(function) && !WRITES.contains(function)) {
      return refuse(request, ILLEGAL_FUNCTION, "refused_function");
    }
    boolean meter = meterUnits.contains(unit);
    if (!meter && !config.readableUnits().contains(unit)) {
      return refuse(request, TARGET_FAILED, "refused_unit");
    }
    if (WRITES.contains(function) && !config.writableUnits().contains(unit)) {
      return refuse(request, ILLEGAL_FUNCTION, "refused_write");
    }
    if (meter && READS.contains(function)) {
      Optional<byte[]> fromPoll = snapshots.answer(unit, request.pdu());
      if (fromPoll.isPresent()) {
        counters.count(unit, function, "snapshot");
        return fromPoll.get();
      }
    }
    return forward(request);
  }

  private byte[] forward(MbapRequest request) {
    if (line.untilNextConnect().filter(d -> !d.isZero()).isPresent()) {
      // the line is down and its back-off runs: a client gets its answer now, not in 30 s
      return refuse(request, TARGET_FAILED, "line_down");
    }
    long deadline = System.nanoTime() + timeout.toNanos() * TURN_WAIT_REQUESTS;
    try {
      if (!clientTurns.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return refuse(request, TARGET_FAILED, "timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuse(request, TARGET_FAILED, "timeout");
    }
    try {
      if (!turns.takeForProbe(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return refuse(request, TARGET_FAILED, "timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuse(request, TARGET_FAILED, "timeout");
    } finally {
      clientTurns.release();
    }
    long start = System.nanoTime();
    try {
      byte[] reply = line.forward(request.unitId(), request.pdu(), timeout);
      counters.count(
          request.unitId(), request.functionCode(), (reply[0] & 0x80) != 0 ? "exception" : "ok");
      return reply;
    } catch (ModbusReadException e) {
      LOG.debug(
          "Modbus TCP proxy: unit {} function {}: {}",
          request.unitId(),
          request.functionCode(),
          e.getMessage());
      return refuse(request, TARGET_FAILED, result(e.failure()));
    } finally {
      busyNanos.addAndGet(System.nanoTime() - start);
      turns.release();
    }
  }

  /** The {@code result} label of a request that got no usable reply on the line. */
  private static String result(FaultReason failure) {
    return switch (failure) {
      case TIMEOUT -> "timeout";
      case CONNECTION -> "line_down";
      default -> "bad_reply";
    };
  }

  private byte[] refuse(MbapRequest request, int exceptionCode, String result) {
    counters.count(request.unitId(), request.functionCode(), result);
    return new byte[] {(byte) (request.functionCode() | 0x80), (byte) exceptionCode};
  }

  @Override
  public void close() {
    closeQuietly(server);
    clients.sockets().forEach(ModbusProxy::closeQuietly);
    writeWatch.shutdownNow();
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing: nothing left to do
    }
  }
}
