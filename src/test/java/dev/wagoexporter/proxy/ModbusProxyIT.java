package dev.wagoexporter.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ListenException;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ReadRequest;
import dev.wagoexporter.poll.BusTurns;
import dev.wagoexporter.poll.GatewayPoller;
import dev.wagoexporter.poll.MeterPoller;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.sim.WriteAttempt;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy on real loopback sockets in front of the simulator: the meter at unit 1 (polled by the
 * exporter meanwhile) and a second simulated device at unit 5. The simulator's second device is a
 * meter too (it refuses writes with exception 01 and logs them): a stand-in for the heat pump until
 * the simulator has a device with writable registers.
 */
class ModbusProxyIT {
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofSeconds(2));
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(20));
  private static final int METER = 1;
  private static final int OTHER = 5;

  /** A line with the polled meter and its proxy, and a raw client's view of it. */
  private static final class Line implements AutoCloseable {
    final MeterSimulator sim;
    final BusConnection connection;
    final GatewayPoller poller;
    final MeterState meter;
    final ModbusProxy proxy;

    Line(Framing framing, Set<Integer> units, Set<Integer> writable) throws Exception {
      sim =
          MeterSimulator.start(
              SimulatorOptions.defaults()
                  .withPort(0)
                  .withFraming(framing)
                  .withUnitIds(Set.of(METER, OTHER)));
      connection =
          new BusConnection(
              new GatewayConfig("127.0.0.1", sim.port(), framing, Duration.ZERO),
              ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
              TimeSource.system());
      meter =
          new MeterState(
              "house",
              ProfileLoader.load(ProfileLoader.BUILT_IN),
              "127.0.0.1:" + sim.port(),
              METER,
              Duration.ofMillis(200),
              TIMEOUT);
      BusTurns turns = new BusTurns(TimeSource.system());
      poller =
          new GatewayPoller(
              connection,
              List.of(new MeterPoller(meter, connection, 125, TimeSource.system())),
              turns);
      poller.start();
      proxy =
          ModbusProxy.start(
              new ProxyConfig(
                  new ListenAddress("127.0.0.1", FreePort.onLoopback()), units, writable),
              connection,
              turns,
              Set.of(METER),
              TIMEOUT);
    }

    Socket client() throws IOException {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
      s.setSoTimeout((int) WAIT.toMillis());
      return s;
    }

    @Override
    public void close() {
      proxy.close();
      poller.close();
      sim.close();
    }
  }

  private static byte[] mbap(int transactionId, int unit, byte... pdu) {
    byte[] frame = new byte[7 + pdu.length];
    frame[0] = (byte) (transactionId >> 8);
    frame[1] = (byte) transactionId;
    frame[4] = (byte) ((pdu.length + 1) >> 8);
    frame[5] = (byte) (pdu.length + 1);
    frame[6] = (byte) unit;
    System.arraycopy(pdu, 0, frame, 7, pdu.length);
    return frame;
  }

  /** Reads one reply frame and returns its transaction id, unit and PDU. */
  private static int[] reply(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int tid = in.readUnsignedShort();
    assertThat(in.readUnsignedShort()).as("protocol id").isZero();
    int length = in.readUnsignedShort();
    int unit = in.readUnsignedByte();
    byte[] pdu = new byte[length - 1];
    in.readFully(pdu);
    int[] out = new int[2 + pdu.length];
    out[0] = tid;
    out[1] = unit;
    for (int i = 0; i < pdu.length; i++) {
      out[2 + i] = pdu[i] & 0xFF;
    }
    return out;
  }

  private static int[] ask(Socket s, int tid, int unit, byte... pdu) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(mbap(tid, unit, pdu));
    out.flush();
    return reply(s);
  }

  private static byte[] pdu(int... bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    return out;
  }

  private static byte[] readPdu(int fc, int address, int count) {
    return new byte[] {(byte) fc, (byte) (address >> 8), (byte) address, 0, (byte) count};
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void readsOfBothUnitsAreExactAndWritesReachOnlyTheWritableUnit(Framing framing) throws Exception {
    try (Line line = new Line(framing, Set.of(), Set.of(OTHER));
        Socket client = line.client()) {
      await().atMost(WAIT).until(() -> line.meter.status().up());
      long pollsBefore = line.meter.status().requests();
      for (int unit : List.of(METER, OTHER)) {
        // the identity block: constant, so the proxied answer must equal a direct read's
        byte[] direct = line.connection.read(new ReadRequest(unit, 3, 0x4000, 4, TIMEOUT));
        int[] proxied = ask(client, 0x1200 + unit, unit, readPdu(3, 0x4000, 4));
        assertThat(proxied[0]).as("transaction id").isEqualTo(0x1200 + unit);
        assertThat(proxied[1]).isEqualTo(unit);
        assertThat(proxied[2]).isEqualTo(3);
        assertThat(proxied[3]).isEqualTo(8);
        int[] registers = Arrays.copyOfRange(proxied, 4, proxied.length);
        int[] expected = new int[direct.length];
        for (int i = 0; i < direct.length; i++) {
          expected[i] = direct[i] & 0xFF;
        }
        assertThat(registers).containsExactly(expected);
      }

      // a write to the meter never leaves the exporter: 01 from the proxy itself
      assertThat(ask(client, 7, METER, pdu(6, 0x50, 0, 0, 1))).containsExactly(7, METER, 0x86, 1);
      // a write to the writable unit goes out; the device's own exception 01 comes back
      assertThat(ask(client, 8, OTHER, pdu(6, 0x50, 0, 0, 1))).containsExactly(8, OTHER, 0x86, 1);
      assertThat(line.sim.writeAttempts())
          .containsExactly(new WriteAttempt(OTHER, 6, 0x5000, List.of(1), false));

      // a unit the config does not allow: 0B; a function the proxy does not know: 01
      assertThat(ask(client, 9, 9, readPdu(3, 0x4000, 2))).containsExactly(9, 9, 0x83, 0x0B);
      assertThat(ask(client, 10, OTHER, pdu(0x2B, 0x0E, 1, 0))).containsExactly(10, OTHER, 0xAB, 1);

      await().atMost(WAIT).until(() -> line.meter.status().requests() > pollsBefore + 2);
      assertThat(line.meter.status().up()).as(line.meter.status().lastError()).isTrue();
      assertThat(line.proxy.counters().requests())
          .containsEntry(new ProxyCounters.Key(METER, 6, "refused_write"), 1L)
          .containsEntry(new ProxyCounters.Key(OTHER, 6, "exception"), 1L)
          .containsEntry(new ProxyCounters.Key(9, 3, "refused_unit"), 1L);
    }
  }

  @Test
  void eachClientGetsItsOwnTransactionIdsBackInOrder() throws Exception {
    try (Line line = new Line(Framing.TCP, Set.of(OTHER), Set.of());
        Socket a = line.client();
        Socket b = line.client()) {
      OutputStream out = a.getOutputStream();
      out.write(mbap(0xBEEF, OTHER, readPdu(4, 0x5000, 2)));
      out.write(mbap(0xBEF0, METER, readPdu(4, 0x5000, 2)));
      out.flush();
      assertThat(ask(b, 0x0001, OTHER, readPdu(4, 0x5000, 2))[0]).isEqualTo(0x0001);
      assertThat(reply(a)[0]).isEqualTo(0xBEEF);
      assertThat(reply(a)[0]).isEqualTo(0xBEF0);
    }
  }

  @Test
  void malformedClientsAreDisconnectedAndCountedWhileOthersAreServed() throws Exception {
    try (Line line = new Line(Framing.TCP, Set.of(OTHER), Set.of());
        Socket good = line.client()) {
      byte[][] hostile = {
        {0, 1, 0, 0, 0, 0, 1}, // length 0
        {0, 1, 0, 0, (byte) 0xFF, (byte) 0xFF, 1}, // length 65535
        {0, 1, 0, 7, 0, 6, 1, 3, 0, 0, 0, 1}, // protocol id 7
      };
      for (byte[] frame : hostile) {
        try (Socket bad = line.client()) {
          bad.getOutputStream().write(frame);
          assertThat(bad.getInputStream().read()).as("disconnected").isEqualTo(-1);
        }
      }
      try (Socket partial = line.client()) {
        partial.getOutputStream().write(new byte[] {0, 1, 0}); // half a header, then gone
      }
      assertThat(ask(good, 3, OTHER, readPdu(3, 0x4000, 2))[2]).isEqualTo(3);
      await().atMost(WAIT).until(() -> line.proxy.counters().malformedClients() == 3);
      await().atMost(WAIT).until(() -> line.proxy.clients().size() == 1);
    }
  }

  @Test
  void aLineThatIsDownAnswers0BAtOnce() throws Exception {
    int closedPort = FreePort.onLoopback();
    BusConnection down =
        new BusConnection(
            new GatewayConfig("127.0.0.1", closedPort, Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofMinutes(1)),
            TimeSource.system());
    try (ModbusProxy proxy =
            ModbusProxy.start(
                new ProxyConfig(
                    new ListenAddress("127.0.0.1", FreePort.onLoopback()), Set.of(OTHER), Set.of()),
                down,
                new BusTurns(TimeSource.system()),
                Set.of(METER),
                Duration.ofMinutes(1));
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      client.setSoTimeout((int) WAIT.toMillis());
      assertThat(ask(client, 1, OTHER, readPdu(3, 0, 1))).containsExactly(1, OTHER, 0x83, 0x0B);
      long start = System.nanoTime();
      assertThat(ask(client, 2, OTHER, readPdu(3, 0, 1))).containsExactly(2, OTHER, 0x83, 0x0B);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("answered from the back-off, not after the one-minute timeout")
          .isLessThan(WAIT);
      assertThat(proxy.counters().requests())
          // the failed connect and the back-off after it: both a line that is down
          .containsEntry(new ProxyCounters.Key(OTHER, 3, "line_down"), 2L);
    } finally {
      down.close();
    }
  }

  @Test
  void aTakenPortIsAOneLineStartUpError() throws Exception {
    try (Line line = new Line(Framing.TCP, Set.of(), Set.of())) {
      assertThatThrownBy(
              () ->
                  ModbusProxy.start(
                      line.proxy.config(),
                      line.connection,
                      new BusTurns(TimeSource.system()),
                      Set.of(),
                      TIMEOUT))
          .isInstanceOf(ListenException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + line.proxy.port())
          .hasMessageContaining("--proxy.listen-address");
    }
  }
}
