package dev.wagoexporter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.Parity;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.Timeouts;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shared gateway's mix-up: two clients on one Modbus TCP gateway, and the reply to the first
 * client's request delivered on the second client's connection, with the second's transaction id,
 * as the heat-pump controller logs it ({@code request ask for id=5 but got id=2}). Raw sockets see
 * exactly which bytes arrive where.
 */
class MixedUpRepliesIT {
  private static final int METER = 2;
  private static final int HEAT_PUMP = 5;
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(5));

  /**
   * The meter thinks long enough that the second request always arrives while the first reply is
   * still on the bus.
   */
  private static final Duration TURNAROUND = Timeouts.scaled(Duration.ofSeconds(1));

  private static MeterSimulator start(boolean mixUp) throws Exception {
    return MeterSimulator.start(
        SimulatorOptions.defaults()
            .withUnitIds(Set.of(METER))
            .withHeatPumpUnit(HEAT_PUMP)
            .withLineTiming(new LineTiming(9600, Parity.EVEN, TURNAROUND))
            .withMixUpReplies(mixUp));
  }

  /** Client A asks the meter; while its reply is on the bus, client B asks the heat pump. */
  private static void overlap(MeterSimulator sim, RawModbusSocket a, RawModbusSocket b)
      throws Exception {
    a.send(RawModbusSocket.tcpRequest(0x0A01, METER, 3, 0x5000, 2));
    await().atMost(WAIT).until(() -> sim.requestCount(METER) == 1);
    b.send(RawModbusSocket.tcpRequest(0x0B01, HEAT_PUMP, 4, 0, 14));
    await().atMost(WAIT).until(() -> sim.requestCount(HEAT_PUMP) == 1);
  }

  @Test
  void theFirstClientsReplyArrivesOnTheSecondClientsConnection() throws Exception {
    try (var sim = start(true);
        var a = new RawModbusSocket(sim.port());
        var b = new RawModbusSocket(sim.port())) {
      overlap(sim, a, b);

      byte[] first = b.readTcpFrame(WAIT.plus(TURNAROUND.multipliedBy(2)));
      assertThat(transactionId(first)).as("B's own transaction id").isEqualTo(0x0B01);
      assertThat(first[6]).as("but the meter's unit id (asked 5, got 2)").isEqualTo((byte) METER);
      assertThat(first[7]).as("and the meter's function").isEqualTo((byte) 3);
      byte[] second = b.readTcpFrame(WAIT.plus(TURNAROUND.multipliedBy(2)));
      assertThat(transactionId(second)).isEqualTo(0x0B01);
      assertThat(second[6]).as("then B's own reply").isEqualTo((byte) HEAT_PUMP);
      assertThat(second[7]).isEqualTo((byte) 4);

      assertThatThrownBy(() -> a.readTcpFrame(TURNAROUND))
          .as("A's reply went to B")
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(sim.mixedUpReplies()).isEqualTo(1);
    }
  }

  @Test
  void withoutTheModeEachClientGetsItsOwnReply() throws Exception {
    try (var sim = start(false);
        var a = new RawModbusSocket(sim.port());
        var b = new RawModbusSocket(sim.port())) {
      overlap(sim, a, b);

      byte[] toA = a.readTcpFrame(WAIT.plus(TURNAROUND.multipliedBy(2)));
      assertThat(transactionId(toA)).isEqualTo(0x0A01);
      assertThat(toA[6]).isEqualTo((byte) METER);
      byte[] toB = b.readTcpFrame(WAIT.plus(TURNAROUND.multipliedBy(2)));
      assertThat(transactionId(toB)).isEqualTo(0x0B01);
      assertThat(toB[6]).isEqualTo((byte) HEAT_PUMP);
      assertThat(b.readAvailable(Duration.ofMillis(200))).isEmpty();
      assertThat(sim.mixedUpReplies()).isZero();
    }
  }

  @Test
  void aLoneClientIsNeverMixedUp() throws Exception {
    try (var sim = start(true);
        var a = new RawModbusSocket(sim.port())) {
      for (int i = 0; i < 3; i++) {
        int unit = i % 2 == 0 ? METER : HEAT_PUMP;
        a.send(RawModbusSocket.tcpRequest(0x0100 + i, unit, unit == METER ? 3 : 4, 0x0000, 1));
        byte[] reply = a.readTcpFrame(WAIT.plus(TURNAROUND.multipliedBy(2)));
        assertThat(transactionId(reply)).isEqualTo(0x0100 + i);
        assertThat(reply[6]).isEqualTo((byte) unit);
      }
      assertThat(sim.mixedUpReplies()).isZero();
    }
  }

  /** What one master saw while polling one unit. */
  private record PollTally(int polls, int wrongUnit, int lost) {}

  /**
   * A master polling {@code unit} as fast as its replies come: each request gets a new transaction
   * id; frames with an older id (a reply that came late) are skipped, a frame with the current id
   * but another unit is what the heat-pump controller logs as {@code request ask for id=5 but got
   * id=2}; no frame with the current id in time is a lost poll.
   */
  private static PollTally poll(int port, int unit, int functionCode, AtomicBoolean stop)
      throws Exception {
    int polls = 0;
    int wrongUnit = 0;
    int lost = 0;
    // generous: on a busy machine a first reply from a fresh server can take half a second, and a
    // late reply must not count as lost; a reply gone to the other master never comes at all
    Duration replyTimeout = Timeouts.scaled(Duration.ofSeconds(2));
    try (var master = new RawModbusSocket(port)) {
      for (int tid = 1; !stop.get() && tid < 2000; tid++) {
        master.send(RawModbusSocket.tcpRequest(tid, unit, functionCode, 0, 2));
        polls++;
        while (true) {
          byte[] reply;
          try {
            reply = master.readTcpFrame(replyTimeout);
          } catch (SocketTimeoutException e) {
            lost++;
            break;
          }
          if (transactionId(reply) != tid) {
            continue; // the late second reply of an earlier mix-up
          }
          if (reply[6] != (byte) unit) {
            wrongUnit++;
          }
          break;
        }
      }
    }
    return new PollTally(polls, wrongUnit, lost);
  }

  /** The meter's master and the heat pump's master poll at once until {@code done} holds. */
  private static List<PollTally> twoMastersPoll(MeterSimulator sim, Callable<Boolean> done)
      throws Exception {
    var stop = new AtomicBoolean();
    ExecutorService masters = Executors.newFixedThreadPool(2);
    try {
      Future<PollTally> exporter = masters.submit(() -> poll(sim.port(), METER, 3, stop));
      Future<PollTally> heatPumpController =
          masters.submit(() -> poll(sim.port(), HEAT_PUMP, 4, stop));
      await().atMost(WAIT.multipliedBy(4)).until(done);
      stop.set(true);
      return List.of(
          exporter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
          heatPumpController.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      stop.set(true);
      masters.shutdownNow();
    }
  }

  private static MeterSimulator startFactoryLine(boolean mixUp) throws Exception {
    // the factory line: 9600 baud, a little meter think time; no test-made overlap, just two
    // masters polling as fast as they can, as the exporter and the controller do at poll time
    return MeterSimulator.start(
        SimulatorOptions.defaults()
            .withUnitIds(Set.of(METER))
            .withHeatPumpUnit(HEAT_PUMP)
            .withLineTiming(new LineTiming(9600, Parity.EVEN, Duration.ofMillis(20)))
            .withMixUpReplies(mixUp));
  }

  @Test
  void twoMastersPollingTheMeterAndTheHeatPumpGetEachOthersReplies() throws Exception {
    try (var sim = startFactoryLine(true)) {
      List<PollTally> tallies = twoMastersPoll(sim, () -> sim.mixedUpReplies() >= 3);

      assertThat(tallies.stream().mapToInt(PollTally::wrongUnit).sum())
          .as("wrong-unit replies in %s", tallies)
          .isPositive();
      assertThat(tallies.stream().mapToInt(PollTally::lost).sum())
          .as("a reply gone to the other master is a poll lost: %s", tallies)
          .isPositive();
    }
  }

  @Test
  void twoMastersOnAGatewayThatKeepsItsClientsApartNeverSeeAWrongUnit() throws Exception {
    try (var sim = startFactoryLine(false)) {
      List<PollTally> tallies =
          twoMastersPoll(
              sim, () -> sim.requestCount(METER) >= 50 && sim.requestCount(HEAT_PUMP) >= 50);

      assertThat(tallies).allSatisfy(t -> assertThat(t.wrongUnit()).as("%s", t).isZero());
      assertThat(tallies).allSatisfy(t -> assertThat(t.lost()).as("%s", t).isZero());
      assertThat(sim.mixedUpReplies()).isZero();
    }
  }

  /** Runs the pymodbus script's two masters to their end: per unit, polls answered and failed. */
  private static Map<Integer, List<Integer>> pymodbusMasters(
      int port, int polls, Duration replyTimeout) {
    ExternalTool python = ExternalTool.debianPython3("python3-pymodbus");
    ExternalTool.Result result =
        python.run(
            Path.of("").toAbsolutePath(),
            List.of(),
            Duration.ofMinutes(2),
            Path.of("src/test/resources/sim/two_masters.py").toAbsolutePath().toString(),
            String.valueOf(port),
            String.valueOf(METER),
            String.valueOf(HEAT_PUMP),
            String.valueOf(polls),
            String.valueOf(replyTimeout.toMillis() / 1000.0));
    assertThat(result.exitCode())
        .as("%s (needs Debian's python3-pymodbus)", result.output())
        .isZero();
    Map<Integer, List<Integer>> tally = new TreeMap<>();
    Matcher m = PYMODBUS_TALLY.matcher(result.output());
    while (m.find()) {
      tally.put(
          Integer.parseInt(m.group(1)),
          List.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }
    assertThat(tally).as(result.output()).containsOnlyKeys(METER, HEAT_PUMP);
    return tally;
  }

  private static final Pattern PYMODBUS_TALLY =
      Pattern.compile("^unit (\\d+) answered (\\d+) failed (\\d+)$", Pattern.MULTILINE);

  @Test
  void twoPymodbusMastersThroughTheMixedUpGatewayLosePolls() throws Exception {
    try (var sim = startFactoryLine(true)) {
      // a lost poll costs its whole timeout; a shorter one only makes the test quicker
      Map<Integer, List<Integer>> tally = pymodbusMasters(sim.port(), 30, Duration.ofSeconds(1));
      assertThat(sim.mixedUpReplies()).as("%s", tally).isPositive();
      assertThat(tally.get(METER).get(1) + tally.get(HEAT_PUMP).get(1))
          .as("failed polls: %s", tally)
          .isPositive();
    }
  }

  @Test
  void twoPymodbusMastersThroughAGatewayThatKeepsClientsApartLoseNone() throws Exception {
    try (var sim = startFactoryLine(false)) {
      Map<Integer, List<Integer>> tally =
          pymodbusMasters(sim.port(), 30, Timeouts.scaled(Duration.ofSeconds(3)));
      assertThat(tally)
          .containsEntry(METER, List.of(30, 0))
          .containsEntry(HEAT_PUMP, List.of(30, 0));
    }
  }

  static int transactionId(byte[] frame) {
    return ((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF);
  }
}
