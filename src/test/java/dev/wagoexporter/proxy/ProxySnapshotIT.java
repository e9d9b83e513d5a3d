package dev.wagoexporter.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.metrics.ProxyCollector;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.poll.BusTurns;
import dev.wagoexporter.poll.GatewayPoller;
import dev.wagoexporter.poll.MeterPoller;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.ReadBlock;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.sim.FaultInjector;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Snapshot answers: a proxy client's read of registers the meter's latest fresh poll holds is
 * answered from that poll's words, with no request on the line (the simulator's request log says
 * so); a read outside the poll's blocks, or after the poll failed, goes out on the line. The
 * simulator's clock stands still, so the meter's registers, and every answer, are exact.
 */
class ProxySnapshotIT {
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofSeconds(1));
  private static final Duration INTERVAL = Timeouts.scaled(Duration.ofSeconds(3));
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(20));
  private static final int METER = 1;

  @Test
  void readsThePollHoldsAreAnsweredFromItAndOthersGoOutOnTheLine() throws Exception {
    var faults = new FaultInjector();
    MeterSimulator sim =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withPort(0)
                .withFraming(Framing.TCP)
                .withUnitIds(Set.of(METER))
                .withClock(Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC)),
            faults);
    BusConnection connection =
        new BusConnection(
            new GatewayConfig("127.0.0.1", sim.port(), Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
            TimeSource.system());
    MeterState meter =
        new MeterState(
            "house",
            ProfileLoader.load(ProfileLoader.BUILT_IN),
            "127.0.0.1:" + sim.port(),
            METER,
            INTERVAL,
            TIMEOUT);
    MeterPoller poller = new MeterPoller(meter, connection, 125, TimeSource.system());
    BusTurns turns = new BusTurns(TimeSource.system());
    GatewayPoller polling = new GatewayPoller(connection, List.of(poller), turns);
    polling.start();
    try (ModbusProxy proxy =
            ModbusProxy.start(
                new ProxyConfig(
                    new ListenAddress("127.0.0.1", FreePort.onLoopback()), Set.of(), Set.of()),
                connection,
                turns,
                Set.of(METER),
                new SnapshotAnswers(List.of(poller)),
                TIMEOUT);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      client.setSoTimeout((int) WAIT.toMillis());
      await().atMost(WAIT).until(() -> poller.freshRegisters().isPresent());
      int function = meter.profile().functionCode();
      ReadBlock block = poller.plan().blocks().get(0);
      int address = block.start() + 2;
      int count = Math.min(6, block.count() - 2);
      BusLog log = new BusLog(sim, meter);

      // held by the poll: answered from it, the words exactly the meter's, nothing on the line
      assertThat(ask(client, 1, function, address, count))
          .containsExactly(replyOf(function, sim, address, count));
      await().atMost(WAIT).until(() -> log.proxiedRequests() == 0);
      // the poll's whole first block and a read across its blocks, where they touch
      assertThat(ask(client, 2, function, block.start(), block.count()))
          .containsExactly(replyOf(function, sim, block.start(), block.count()));
      await().atMost(WAIT).until(() -> log.proxiedRequests() == 0);
      assertThat(proxy.counters().requests())
          .containsEntry(new ProxyCounters.Key(METER, function, "snapshot"), 2L);
      // as the status page shows it: this client, its two answered requests, both from the poll
      ProxyView view = proxy.view();
      assertThat(view.snapshotAnswers()).isEqualTo(2);
      assertThat(view.requests()).isEqualTo(2);
      assertThat(view.errors()).isZero();
      assertThat(view.clients())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.peer()).endsWith(":" + client.getLocalPort());
                assertThat(c.requests()).isEqualTo(2);
              });

      // the identity block is read at connect only, not by the poll: out on the line, exact too
      assertThat(ask(client, 3, function, 0x4000, 4))
          .containsExactly(replyOf(function, sim, 0x4000, 4));
      await().atMost(WAIT).until(() -> log.proxiedRequests() == 1);

      // the meter stops answering: the failed poll is no snapshot; the read goes out and gets 0B
      faults.injectUntilCleared(Fault.SILENCE);
      await()
          .atMost(WAIT)
          .until(() -> !meter.status().up() && meter.status().lastFailure() != null);
      assertThat(poller.freshRegisters()).isEmpty();
      assertThat(ask(client, 4, function, address, count)).containsExactly(0x80 | function, 0x0B);
      assertThat(proxy.counters().requests())
          .containsEntry(new ProxyCounters.Key(METER, function, "snapshot"), 2L);

      // the same counts on /metrics, under the names docs/metrics.md gives
      String docs = Files.readString(Path.of("docs/metrics.md"));
      for (MetricSnapshot family : new ProxyCollector(List.of(proxy)).collect()) {
        String name = family.getMetadata().getPrometheusName();
        assertThat(docs)
            .contains("`" + name + (family instanceof CounterSnapshot ? "_total`" : "`"));
        if (name.equals("wago_proxy_requests")) {
          assertThat(family.getDataPoints())
              .filteredOn(p -> "snapshot".equals(p.getLabels().get("result")))
              .singleElement()
              .satisfies(
                  p -> {
                    assertThat(((CounterSnapshot.CounterDataPointSnapshot) p).getValue())
                        .isEqualTo(2.0);
                    assertThat(p.getLabels().get("line")).isEqualTo("127.0.0.1:" + sim.port());
                    assertThat(p.getLabels().get("unit")).isEqualTo(String.valueOf(METER));
                  });
        }
      }
    } finally {
      polling.close();
      connection.close();
      sim.close();
    }
  }

  /** Requests the simulator saw for the meter beyond those the exporter's polls sent. */
  private static final class BusLog {
    private final MeterSimulator sim;
    private final MeterState meter;
    private final long simBefore;
    private final long pollsBefore;

    BusLog(MeterSimulator sim, MeterState meter) {
      this.sim = sim;
      this.meter = meter;
      this.simBefore = sim.requestCount(METER);
      this.pollsBefore = meter.status().requests();
    }

    long proxiedRequests() {
      return (sim.requestCount(METER) - simBefore) - (meter.status().requests() - pollsBefore);
    }
  }

  private static int[] replyOf(int function, MeterSimulator sim, int address, int count) {
    int[] pdu = new int[2 + 2 * count];
    pdu[0] = function;
    pdu[1] = 2 * count;
    for (int i = 0; i < count; i++) {
      int word = sim.meter(METER).registerAt(address + i);
      pdu[2 + 2 * i] = word >> 8;
      pdu[3 + 2 * i] = word & 0xFF;
    }
    return pdu;
  }

  /** Sends one read through the proxy and returns the reply's PDU, after checking its header. */
  private static int[] ask(Socket s, int tid, int function, int address, int count)
      throws IOException {
    byte[] frame = {
      (byte) (tid >> 8),
      (byte) tid,
      0,
      0,
      0,
      6,
      (byte) METER,
      (byte) function,
      (byte) (address >> 8),
      (byte) address,
      (byte) (count >> 8),
      (byte) count
    };
    OutputStream out = s.getOutputStream();
    out.write(frame);
    out.flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    assertThat(in.readUnsignedShort()).as("transaction id").isEqualTo(tid);
    assertThat(in.readUnsignedShort()).as("protocol id").isZero();
    int length = in.readUnsignedShort();
    assertThat(in.readUnsignedByte()).as("unit").isEqualTo(METER);
    byte[] pdu = new byte[length - 1];
    in.readFully(pdu);
    int[] result = new int[pdu.length];
    for (int i = 0; i < pdu.length; i++) {
      result[i] = pdu[i] & 0xFF;
    }
    return result;
  }
}
