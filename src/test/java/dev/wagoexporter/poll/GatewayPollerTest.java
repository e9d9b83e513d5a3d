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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The poller's schedule asks the connection's back-off, which runs on the time source: while the
 * test's clock stands still, regular polls due during the back-off wait for its end instead of
 * failing at once; when the test moves the clock past it, the next regular poll tries the gateway.
 * A port nobody listens on is a gateway that is off; the simulator on it is the gateway back.
 */
class GatewayPollerTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  @Test
  void regularPollsWaitForTheBackOffOfTheTimeSourceAndReadTheGatewayOnceItEnds() throws Exception {
    TestTime time = TestTime.frozen(Instant.parse("2026-03-01T06:00:00Z"));
    int port = FreePort.onLoopback();
    MeterState meter =
        new MeterState(
            "house",
            ProfileLoader.load(ProfileLoader.BUILT_IN),
            "127.0.0.1:" + port,
            1,
            INTERVAL,
            Timeouts.scaled(Duration.ofSeconds(2)));
    BusConnection connection =
        new BusConnection(
            new GatewayConfig("127.0.0.1", port, Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(30)),
            time);
    try (GatewayPoller poller =
        new GatewayPoller(
            connection,
            List.of(new MeterPoller(meter, connection, ModbusLimits.MAX_READ_REGISTERS, time)),
            new BusTurns(time))) {
      poller.start();
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
          .until(() -> meter.status().errors().get(FaultReason.CONNECTION) >= 1);
      assertThat(connection.untilNextConnect()).contains(Duration.ofMillis(500));

      // the clock stands still: every regular poll falls into the back-off and waits for its
      // end, so none reaches the connection, which would count each refusal as an error
      long requests = meter.status().requests();
      Thread.sleep(10 * INTERVAL.toMillis());
      assertThat(meter.status().requests()).isEqualTo(requests);
      assertThat(meter.status().errors()).containsEntry(FaultReason.CONNECTION, 1L);

      // the back-off ends on the time source: the next regular poll tries, is refused, doubles it
      time.advance(Duration.ofMillis(500));
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
          .until(() -> meter.status().errors().get(FaultReason.CONNECTION) >= 2);
      assertThat(connection.untilNextConnect()).contains(Duration.ofSeconds(1));

      try (MeterSimulator sim =
          MeterSimulator.start(SimulatorOptions.defaults().withPort(port).withUnitIds(Set.of(1)))) {
        time.advance(Duration.ofSeconds(1));
        await().atMost(Timeouts.scaled(Duration.ofSeconds(10))).until(() -> meter.status().up());
        assertThat(meter.status().errors()).containsEntry(FaultReason.CONNECTION, 2L);
        assertThat(meter.status().lastPollDuration()).isZero();
      }
    }
  }
}
