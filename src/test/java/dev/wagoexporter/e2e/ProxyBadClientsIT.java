package dev.wagoexporter.e2e;

import static dev.wagoexporter.e2e.ProxiedLine.HEAT_PUMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.Parity;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.proxy.ModbusProxy;
import dev.wagoexporter.sim.LineTiming;
import dev.wagoexporter.sim.SimulatedHeatPump;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless clients of the exporter's proxy, each on its own: the exporter's polls of
 * the meter keep their schedule (seen on /metrics, {@link PollWatch}), a well-behaved client (the
 * heat-pump controller) is still answered exactly, and the bad client is disconnected and counted.
 * The hoarding clients connect from 127.0.0.2, the controller from 127.0.0.1: two hosts on one
 * machine's loopback.
 */
class ProxyBadClientsIT {
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(20));

  @TempDir Path dir;

  private ProxiedLine start() throws Exception {
    return start(ProxiedLine.start(Framing.TCP, dir));
  }

  private static ProxiedLine start(ProxiedLine line) {
    await().atMost(WAIT).until(() -> line.scrape().up() == 1.0);
    line.sim.heatPump(HEAT_PUMP).setInputRegister(SimulatedHeatPump.FLOW_TEMPERATURE, 361);
    return line;
  }

  static byte[] request(int transactionId, int unit, int function, int address, int count) {
    return new byte[] {
      (byte) (transactionId >> 8),
      (byte) transactionId,
      0,
      0,
      0,
      6,
      (byte) unit,
      (byte) function,
      (byte) (address >> 8),
      (byte) address,
      (byte) (count >> 8),
      (byte) count
    };
  }

  /** One reply frame: its transaction id and PDU (unsigned bytes). */
  record Reply(int transactionId, List<Integer> pdu) {}

  static Reply reply(DataInputStream in) throws IOException {
    int tid = in.readUnsignedShort();
    in.readUnsignedShort();
    int length = in.readUnsignedShort();
    in.readUnsignedByte();
    byte[] pdu = new byte[length - 1];
    in.readFully(pdu);
    List<Integer> unsigned = new ArrayList<>();
    for (byte b : pdu) {
      unsigned.add(b & 0xFF);
    }
    return new Reply(tid, unsigned);
  }

  static Socket connect(ProxiedLine line, String from) throws Exception {
    Socket s = line.connectFrom(from);
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  /**
   * The heat-pump controller, on a new connection from 127.0.0.1: reads the flow temperature and
   * gets the heat pump's exact value. Returns how long the answer took.
   */
  static Duration controllerReads(ProxiedLine line) throws Exception {
    try (Socket s = connect(line, "127.0.0.1")) {
      return readFlowTemperature(s, 1);
    }
  }

  static Duration readFlowTemperature(Socket s, int tid) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write(request(tid, HEAT_PUMP, 4, SimulatedHeatPump.FLOW_TEMPERATURE, 1));
    Reply r = reply(new DataInputStream(s.getInputStream()));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.transactionId()).isEqualTo(tid);
    assertThat(r.pdu()).containsExactly(4, 2, 0x01, 0x69); // 361
    return took;
  }

  private static void awaitDisconnected(Socket s) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try {
                return s.getInputStream().read() == -1;
              } catch (IOException e) {
                return true; // reset by the proxy
              }
            });
  }

  @Test
  void aHalfHeaderThenSilenceIsCutOffAtTheRequestDeadline() throws Exception {
    try (ProxiedLine line = start();
        Socket partial = connect(line, "127.0.0.2")) {
      PollWatch polls = new PollWatch(line);
      partial.getOutputStream().write(new byte[] {0, 1, 0});
      long start = System.nanoTime();
      controllerReads(line);
      awaitDisconnected(partial);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("cut off at the request deadline, not the idle timeout")
          .isLessThan(ModbusProxy.REQUEST_DEADLINE.plus(Timeouts.scaled(Duration.ofSeconds(3))));
      assertThat(line.proxy().counters().malformedClients()).isEqualTo(1);
      controllerReads(line);
      polls.assertPollsOnTime();
    }
  }

  @Test
  void lengthZeroLength65535AndAWrongProtocolIdAreDisconnectedAndCounted() throws Exception {
    try (ProxiedLine line = start()) {
      PollWatch polls = new PollWatch(line);
      byte[][] hostile = {
        {0, 1, 0, 0, 0, 0, 5}, // length 0
        {0, 1, 0, 0, (byte) 0xFF, (byte) 0xFF, 5}, // length 65535
        {0, 1, 0, 7, 0, 6, 5, 4, 0, 0, 0, 1}, // protocol id 7
      };
      for (byte[] frame : hostile) {
        try (Socket bad = connect(line, "127.0.0.2")) {
          bad.getOutputStream().write(frame);
          awaitDisconnected(bad);
        }
        controllerReads(line);
      }
      assertThat(line.proxy().counters().malformedClients()).isEqualTo(3);
      polls.assertPollsOnTime();
    }
  }

  /** A client that sends requests back to back without waiting for replies; a thread reads them. */
  private static final class Flood implements AutoCloseable {
    final Socket socket;
    final Thread writer;
    final Thread reader;
    final AtomicInteger replies = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();

    Flood(ProxiedLine line, String from, boolean readReplies) throws Exception {
      socket = connect(line, from);
      writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  for (int tid = 0; !stop.get() && tid < 100_000; tid++) {
                    out.write(request(tid, HEAT_PUMP, 4, 0, SimulatedHeatPump.TABLE_SIZE));
                  }
                } catch (IOException e) {
                  // disconnected by the proxy, or closed by the test
                }
              });
      reader =
          new Thread(
              () -> {
                try {
                  DataInputStream in = new DataInputStream(socket.getInputStream());
                  while (readReplies && !stop.get()) {
                    reply(in);
                    replies.incrementAndGet();
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      writer.start();
      reader.start();
    }

    @Override
    public void close() throws Exception {
      stop.set(true);
      socket.close();
      writer.join();
      reader.join();
    }
  }

  @Test
  void aFloodOfPipelinedRequestsDelaysNeitherThePollsNorAnotherClient() throws Exception {
    try (ProxiedLine line = start();
        Flood flood = new Flood(line, "127.0.0.2", true)) {
      PollWatch polls = new PollWatch(line);
      await().atMost(WAIT).until(() -> flood.replies.get() > 100);
      for (int i = 0; i < 5; i++) {
        assertThat(controllerReads(line)).isLessThan(ProxiedLine.TIMEOUT);
      }
      long pollsSeen = polls.intervals().size();
      await().atMost(WAIT).until(() -> polls.intervals().size() >= pollsSeen + 3);
      polls.assertPollsOnTime();
    }
  }

  @Test
  void aHundredIdleConnectionsDoNotLockOutTheController() throws Exception {
    try (ProxiedLine line = start()) {
      PollWatch polls = new PollWatch(line);
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          idle.add(connect(line, "127.0.0.2"));
        }
        // from another host: room left by the per-address limit
        controllerReads(line);
        // from the hoarder's own address (a controller on the same host): the longest idle goes
        try (Socket s = connect(line, "127.0.0.2")) {
          readFlowTemperature(s, 2);
        }
        await()
            .atMost(WAIT)
            .until(() -> line.proxy().clients().size() <= ModbusProxy.MAX_CLIENTS_PER_PEER + 1);
        assertThat(line.proxy().counters().evictedClients()).isGreaterThanOrEqualTo(92);
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
      polls.assertPollsOnTime();
    }
  }

  @Test
  void aClientThatNeverReadsItsRepliesIsDisconnectedAndCounted() throws Exception {
    try (ProxiedLine line = start()) {
      PollWatch polls = new PollWatch(line);
      Socket deaf = new Socket();
      deaf.setReceiveBufferSize(1024); // before connecting: a small window fills soon
      deaf.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      deaf.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), line.proxyPort));
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = deaf.getOutputStream();
                  for (int tid = 0; tid < 3000; tid++) {
                    out.write(request(tid, HEAT_PUMP, 4, 0, SimulatedHeatPump.TABLE_SIZE));
                  }
                } catch (IOException e) {
                  // disconnected by the proxy
                }
              });
      writer.start();
      try {
        await().atMost(WAIT).until(() -> line.proxy().counters().stalledClients() == 1);
        await().atMost(WAIT).until(() -> line.proxy().clients().isEmpty());
        controllerReads(line);
      } finally {
        deaf.close();
        writer.join();
      }
      polls.assertPollsOnTime();
    }
  }

  @Test
  void withTwoClientsFloodingAClientReadingEverySecondWaitsAtMostAFewRequests() throws Exception {
    // the factory line (9600 baud): each request takes tens of milliseconds on the wire
    try (ProxiedLine line =
            start(
                ProxiedLine.start(
                    Framing.TCP,
                    dir,
                    o ->
                        o.withLineTiming(
                            new LineTiming(9600, Parity.EVEN, Duration.ofMillis(5)))));
        Flood a = new Flood(line, "127.0.0.2", true);
        Flood b = new Flood(line, "127.0.0.3", true);
        Socket slow = connect(line, "127.0.0.1")) {
      PollWatch polls = new PollWatch(line);
      await().atMost(WAIT).until(() -> a.replies.get() > 10 && b.replies.get() > 10);
      List<Duration> latencies = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        latencies.add(readFlowTemperature(slow, 100 + i));
        Thread.sleep(1000); // the controller's pace, not a wait for a condition
      }
      // FIFO among clients: the slow one waits for at most the two flooders' requests and a poll
      // (about 0.1 s each at 9600 baud, the poll's two blocks 0.4 s), then its own
      assertThat(latencies)
          .as("the slow client's latencies")
          .allSatisfy(l -> assertThat(l).isLessThan(Timeouts.scaled(Duration.ofMillis(1200))));
      assertThat(a.replies.get()).as("both flooders served").isPositive();
      assertThat(b.replies.get()).as("both flooders served").isPositive();
      polls.assertPollsOnTime();
    }
  }
}
