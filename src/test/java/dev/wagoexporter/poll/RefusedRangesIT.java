package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.sim.FaultInjector;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A line that answers exception 02 for a while, on real loopback sockets: the planner's splits down
 * to nothing are visible, the meter is not up while nothing is read, and the whole plan comes back
 * by itself, tried again after 1, 2, 4 ... polls.
 */
class RefusedRangesIT {
  @Test
  void aBurstOfException02DoesNotSilenceTheMeterForGood() throws Exception {
    var faults = new FaultInjector();
    try (MeterSimulator sim =
            MeterSimulator.start(
                SimulatorOptions.defaults().withPort(0).withUnitIds(Set.of(1)), faults);
        BusConnection connection =
            new BusConnection(
                new GatewayConfig("127.0.0.1", sim.port(), Framing.TCP, Duration.ZERO),
                ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
                TimeSource.system())) {
      MeterState state =
          new MeterState(
              "house",
              ProfileLoader.load(ProfileLoader.BUILT_IN),
              "127.0.0.1:" + sim.port(),
              1,
              Duration.ofSeconds(30),
              Timeouts.scaled(Duration.ofSeconds(2)));
      MeterPoller poller =
          new MeterPoller(state, connection, ModbusLimits.MAX_READ_REGISTERS, TimeSource.system());
      poller.poll();
      assertThat(state.status().up()).as(state.status().lastError()).isTrue();
      long valuesWhenWhole = exportedValues(state);
      assertThat(state.status().readPlan()).isEqualTo(ReadPlanHealth.WHOLE);

      faults.setExceptionCode(0x02);
      faults.injectUntilCleared(Fault.EXCEPTION);
      poller.poll();
      assertThat(state.status().up()).as("a meter whose plan reads nothing is not up").isFalse();
      assertThat(state.status().lastFailure().reason()).isEqualTo(FaultReason.NOTHING_READ);
      assertThat(state.status().readPlan().leftOutRegisters()).isPositive();

      // the whole plan is tried again after 1, 2, 4 polls: polls between send no request
      StringBuilder requestsPerPoll = new StringBuilder();
      for (int i = 0; i < 7; i++) {
        long before = sim.requestCount();
        poller.poll();
        requestsPerPoll.append(sim.requestCount() - before > 0 ? 'R' : '.');
        assertThat(state.status().up()).isFalse();
      }
      assertThat(requestsPerPoll).hasToString("R.R...R");

      faults.clear();
      int polls = 0;
      while (!state.status().up() && polls < 8) {
        poller.poll();
        polls++;
      }
      assertThat(state.status().up()).as("up again within the back-off of 8 polls").isTrue();
      assertThat(exportedValues(state)).isEqualTo(valuesWhenWhole);
      assertThat(state.status().readPlan()).isEqualTo(ReadPlanHealth.WHOLE);
      assertThat(poller.plan().blocks()).hasSize(2);
    }
  }

  private static long exportedValues(MeterState state) {
    return Arrays.stream(state.status().snapshot().values()).filter(v -> !Double.isNaN(v)).count();
  }
}
