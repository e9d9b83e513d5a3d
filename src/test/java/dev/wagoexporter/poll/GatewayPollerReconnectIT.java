package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Why the poller polls between its regular polls: a gateway that was not up when the exporter
 * started (the demo's simulator starts a few milliseconds after it) or that comes back after a
 * power cut is read again within about a second, not a whole poll interval later; and a gateway
 * that stays down is not hammered, the attempts follow the connection's back-off (0.5 s, 1 s, 2
 * s...). Real loopback sockets and the project's simulator as the gateway; a port nobody listens on
 * as a gateway that is off (it refuses connects, as a powered gateway without its server does).
 */
class GatewayPollerReconnectIT {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  /** What the exporter passes for intervals of 30 s and longer. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Duration LONG_INTERVAL = Duration.ofMinutes(10);

  @Test
  void aGatewayThatComesUpAfterTheExporterIsReadWithinSecondsNotAPollIntervalLater()
      throws Exception {
    int port = FreePort.onLoopback();
    MeterState meter = meter(port, LONG_INTERVAL);
    try (GatewayPoller ignored = startPoller(port, meter, MAX_BACKOFF)) {
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
          .until(() -> meter.status().errors().getOrDefault(FaultReason.CONNECTION, 0L) >= 1);
      assertThat(meter.status().up()).isFalse();

      try (MeterSimulator sim = simulator(port)) {
        // the next regular poll is 10 minutes away; the back-off's next attempt a second or two
        await().atMost(Timeouts.scaled(Duration.ofSeconds(20))).until(() -> meter.status().up());
        assertThat(sim.requestCount()).isPositive();
      }
    }
  }

  @Test
  void aGatewayBackAfterAPowerCutIsReadAgainBeforeTheNextRegularPoll() throws Exception {
    Duration interval = Timeouts.scaled(Duration.ofSeconds(8));
    int port = FreePort.onLoopback();
    MeterState meter = meter(port, interval);
    MeterSimulator sim = simulator(port);
    Instant beforeStart = Instant.now();
    // the exporter caps the back-off at the shortest poll interval
    try (GatewayPoller ignored = startPoller(port, meter, interval)) {
      await().atMost(Timeouts.scaled(Duration.ofSeconds(10))).until(() -> meter.status().up());
      Instant firstSuccess = meter.status().lastSuccess();

      sim.close(); // the power cut: connection gone, connects refused
      // the poll at the second slot (one interval after start) finds it
      await()
          .atMost(interval.plus(Timeouts.scaled(Duration.ofSeconds(10))))
          .until(() -> !meter.status().up());
      sim = simulator(port); // power back

      await()
          .atMost(interval.plus(Timeouts.scaled(Duration.ofSeconds(10))))
          .until(() -> meter.status().up());
      assertThat(meter.status().lastSuccess()).isAfter(firstSuccess);
      // the regular polls come at start, start + interval, start + 2 intervals: the failed one
      // was the second, and the gateway was read again before the third
      assertThat(meter.status().lastSuccess()).isBefore(beforeStart.plus(interval.multipliedBy(2)));
    } finally {
      sim.close();
    }
  }

  @Test
  void aGatewayThatStaysDownIsTriedEverLessOften() throws Exception {
    int port = FreePort.onLoopback();
    MeterState meter = meter(port, LONG_INTERVAL);
    long started = System.nanoTime();
    try (GatewayPoller ignored = startPoller(port, meter, MAX_BACKOFF)) {
      // attempts at 0, 0.5, 1.5, 3.5, 7.5 s...: the fifth comes about 7.5 s after the first
      Set<String> errorsSeen = ConcurrentHashMap.newKeySet();
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
          .until(
              () -> {
                if (meter.status().lastError() != null) {
                  errorsSeen.add(meter.status().lastError());
                }
                return meter.status().requests() >= 5;
              });
      double elapsedSeconds = (System.nanoTime() - started) / 1e9;
      long requests = meter.status().requests();

      // each poll here is one connect attempt (the regular poll after the first is 10 minutes
      // away), and the polls come no more often than the back-off lets them: on a busy machine
      // they come later, never sooner (a fixed 0.5 s retry would have made 15 in 7.5 s)
      long mostThatTheBackOffAllows = 1 + (long) Math.floor(log2(2 * elapsedSeconds + 1));
      assertThat(requests).isLessThanOrEqualTo(mostThatTheBackOffAllows);
      assertThat(meter.status().errors().get(FaultReason.CONNECTION)).isEqualTo(requests);
      assertThat(errorsSeen)
          .as("real connects, not reads that failed at once inside the back-off")
          .isNotEmpty()
          .noneMatch(error -> error.contains("next attempt in"));
    }
  }

  @Test
  void aRegularPollDueDuringTheBackOffWaitsForItsEndInsteadOfFailingAtOnce() throws Exception {
    // a short interval, and the back-off capped at it as the exporter does: regular polls fall
    // inside the back-off again and again while the gateway stays down
    Duration interval = Duration.ofSeconds(1);
    int port = FreePort.onLoopback();
    MeterState meter = meter(port, interval);
    try (GatewayPoller ignored = startPoller(port, meter, interval)) {
      Set<String> errorsSeen = ConcurrentHashMap.newKeySet();
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (meter.status().lastError() != null) {
                  errorsSeen.add(meter.status().lastError());
                }
                return meter.status().requests() >= 6;
              });
      assertThat(errorsSeen)
          .as("every poll tried the gateway; none was refused inside the back-off")
          .isNotEmpty()
          .noneMatch(error -> error.contains("next attempt in"));
    }
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static MeterState meter(int port, Duration interval) throws Exception {
    return new MeterState(
        "house",
        ProfileLoader.load(ProfileLoader.BUILT_IN),
        new GatewayAddress("127.0.0.1", port).toString(),
        1,
        interval,
        TIMEOUT);
  }

  private static GatewayPoller startPoller(int port, MeterState meter, Duration maxBackoff) {
    BusConnection connection =
        new BusConnection(
            new GatewayConfig("127.0.0.1", port, Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, maxBackoff),
            TimeSource.system());
    GatewayPoller poller =
        new GatewayPoller(
            connection,
            List.of(new MeterPoller(meter, connection, 125, TimeSource.system())),
            new BusTurns(TimeSource.system()));
    poller.start();
    return poller;
  }

  private static MeterSimulator simulator(int port) throws IOException {
    return MeterSimulator.start(SimulatorOptions.defaults().withPort(port).withUnitIds(Set.of(1)));
  }
}
