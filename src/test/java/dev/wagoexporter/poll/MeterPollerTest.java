package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.TestTime;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One meter's polls on a clock the test moves: the simulator on a loopback socket is the meter, the
 * time source stands still between the test's moves, so freshness, poll durations and the reconnect
 * back-off are exact, and a wall-clock step (NTP on a Pi without a real-time clock) can be made at
 * will.
 */
class MeterPollerTest {
  private static final Instant START = Instant.parse("2026-03-01T06:00:00Z");
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  private final TestTime time = TestTime.frozen(START);
  private final int port = FreePort.onLoopback();
  private MeterSimulator sim;
  private BusConnection connection;
  private MeterState state;
  private MeterPoller poller;

  @BeforeEach
  void start() throws Exception {
    sim = simulator();
    connection =
        new BusConnection(
            new GatewayConfig("127.0.0.1", port, Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(30)),
            time);
    state =
        new MeterState(
            "house",
            ProfileLoader.load(ProfileLoader.BUILT_IN),
            "127.0.0.1:" + port,
            1,
            Duration.ofSeconds(30),
            Timeouts.scaled(Duration.ofSeconds(2)));
    poller = new MeterPoller(state, connection, ModbusLimits.MAX_READ_REGISTERS, time);
  }

  private MeterSimulator simulator() throws IOException {
    return MeterSimulator.start(SimulatorOptions.defaults().withPort(port).withUnitIds(Set.of(1)));
  }

  @AfterEach
  void stop() {
    connection.close();
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void aWallClockStepOfADayEitherWayNeitherAgesNorUnagesTheValues() {
    poller.poll();
    MeterStatus polled = state.status();
    assertThat(polled.up()).as(polled.lastError()).isTrue();
    MeterSnapshot taken = polled.snapshot();
    assertThat(taken.takenAt()).isEqualTo(START);
    // measured on the time source, which stood still during the poll
    assertThat(polled.lastPollDuration()).isZero();

    for (Duration step : new Duration[] {Duration.ofDays(1), Duration.ofDays(-2)}) {
      time.stepWall(step);
      assertThat(state.freshSnapshot(time.nanoTime()))
          .as("after a step of %s", step)
          .isSameAs(taken);
    }
    time.advance(state.maxSnapshotAge());
    assertThat(state.freshSnapshot(time.nanoTime())).as("at the end of the window").isSameAs(taken);
    time.advance(Duration.ofNanos(1));
    assertThat(state.freshSnapshot(time.nanoTime())).as("after the window").isNull();
    // the timestamp people read is the poll's, whatever the wall clock did since
    assertThat(state.status().lastSuccess()).isEqualTo(START);
    assertThat(state.status().sinceLastSuccess(time.nanoTime()))
        .isEqualTo(state.maxSnapshotAge().plusNanos(1));
  }

  @Test
  void aPollThatFailsAfterASuccessDropsTheValuesAtOnceAndKeepsTheLastSuccess() {
    poller.poll();
    assertThat(state.status().up()).as(state.status().lastError()).isTrue();
    time.advance(Duration.ofSeconds(10));
    sim.close();
    sim = null;

    poller.poll();

    MeterStatus failed = state.status();
    assertThat(failed.up()).isFalse();
    assertThat(failed.snapshot()).isNull();
    assertThat(state.freshSnapshot(time.nanoTime()))
        .as("well inside the fresh window, a failed poll's values are gone")
        .isNull();
    assertThat(failed.lastFailure().reason()).isEqualTo(FaultReason.CONNECTION);
    assertThat(failed.errors()).containsEntry(FaultReason.CONNECTION, 1L);
    assertThat(failed.lastSuccess()).isEqualTo(START);
    assertThat(failed.sinceLastSuccess(time.nanoTime())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theReconnectBackOffRunsOnTheTimeSourceAndDoubles() throws Exception {
    poller.poll();
    sim.close();
    sim = null;
    // The open link fails (a blip or a gateway gone: the next poll tries again at once), then a
    // connect is refused and the back-off starts; the simulator's port closes asynchronously, so
    // a connect may still be taken and dropped before that.
    await()
        .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
        .until(
            () -> {
              poller.poll();
              return connection.untilNextConnect().orElseThrow().compareTo(Duration.ZERO) > 0;
            });
    assertThat(connection.untilNextConnect()).contains(FIRST_BACKOFF);
    long errorsBefore = connectionErrors();
    poller.poll(); // within the back-off: fails without trying the gateway
    assertThat(state.status().lastError()).contains("next attempt in 500 ms");
    assertThat(connectionErrors()).isEqualTo(errorsBefore + 1);

    time.advance(FIRST_BACKOFF.minusMillis(1));
    assertThat(connection.untilNextConnect()).contains(Duration.ofMillis(1));
    time.advance(Duration.ofMillis(1));
    poller.poll(); // tries again, refused again: twice the wait
    assertThat(connection.untilNextConnect()).contains(FIRST_BACKOFF.multipliedBy(2));

    sim = simulator();
    poller.poll();
    assertThat(state.status().up()).as("the back-off still runs").isFalse();
    time.advance(FIRST_BACKOFF.multipliedBy(2));
    poller.poll();
    assertThat(state.status().up()).as(state.status().lastError()).isTrue();
    assertThat(connection.untilNextConnect()).isEqualTo(Optional.empty());
  }

  @Test
  void eachRequestIsCountedOnceAndTheIdentityOncePerConnection() {
    int perPoll = poller.plan().blocks().size();
    poller.poll();
    assertThat(state.status().requests()).isEqualTo(1 + perPoll);
    poller.poll();
    assertThat(state.status().requests()).isEqualTo(1 + 2L * perPoll);
    assertThat(state.status().errors().values()).allMatch(count -> count == 0);
    assertThat(state.status().version()).isPositive();
  }

  private long connectionErrors() {
    return state.status().errors().get(FaultReason.CONNECTION);
  }
}
