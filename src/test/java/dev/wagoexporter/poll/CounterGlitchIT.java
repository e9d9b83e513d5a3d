package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatedMeter;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Energy counters that jump up for one reply, and -0.0, read from the simulator over a real
 * loopback socket: what a poll exports and what it counts.
 */
class CounterGlitchIT {
  private static final int SYSTEM_IMPORT = 0x600C;
  private static final int CURRENT_L1 = 0x500C;

  private MeterSimulator sim;
  private BusConnection connection;
  private MeterPoller poller;
  private SimulatedMeter meter;

  @BeforeEach
  void start() throws Exception {
    sim = MeterSimulator.start(SimulatorOptions.defaults().withPort(0).withUnitIds(Set.of(1)));
    meter = sim.meter(1);
    connection =
        new BusConnection(
            new GatewayConfig("127.0.0.1", sim.port(), Framing.TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
            TimeSource.system());
    Profile profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    MeterState state =
        new MeterState(
            "house", profile, "127.0.0.1:" + sim.port(), 1, Duration.ofSeconds(30), timeout());
    poller =
        new MeterPoller(state, connection, ModbusLimits.MAX_READ_REGISTERS, TimeSource.system());
  }

  private static Duration timeout() {
    return dev.wagoexporter.testsupport.Timeouts.scaled(Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    connection.close();
    sim.close();
  }

  /** The exported value of the non-legacy metric on {@code address}; NaN when left out. */
  private double exported(int address) {
    MeterStatus status = poller.state().status();
    assertThat(status.up()).as(status.lastError()).isTrue();
    for (MetricDefinition m : poller.state().profile().metrics()) {
      for (RegisterPoint p : m.points()) {
        if (p.address() == address && !m.legacy()) {
          return status.snapshot().value(p.index());
        }
      }
    }
    throw new AssertionError("no metric on " + Integer.toHexString(address));
  }

  private long errors(String label) {
    return poller.state().status().errors().entrySet().stream()
        .filter(e -> e.getKey().label().equals(label))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  @Test
  void countersReadOnceFarTooHighAreNotExportedAndTheRightValueAfterThemIs() {
    meter.overrideFloat(SYSTEM_IMPORT, 5000f);
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isEqualTo(5000 * 3.6e6);

    // one reply with the counter 1024 times too high: 5 GWh more within a second
    meter.overrideFloatForOneRead(SYSTEM_IMPORT, 5000f * 1024, () -> {});
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).as("the jump is held back").isNaN();
    assertThat(errors("counter_jump")).isEqualTo(1);

    meter.overrideFloat(SYSTEM_IMPORT, 5000.25f);
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isEqualTo(5000.25 * 3.6e6);
    assertThat(errors("counter_decrease"))
        .as("the right value after the glitch is no decrease")
        .isZero();
    assertThat(errors("counter_jump")).isEqualTo(1);
  }

  @Test
  void aRiseTheNextPollConfirmsIsExported() {
    meter.overrideFloat(SYSTEM_IMPORT, 10f);
    poller.poll();
    meter.overrideFloat(SYSTEM_IMPORT, 900_000f);
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isNaN();
    meter.overrideFloat(SYSTEM_IMPORT, 900_000.5f);
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isEqualTo(900_000.5 * 3.6e6);
    assertThat(errors("counter_jump")).isEqualTo(1);
  }

  @Test
  void minusZeroIsExportedAsZeroAndNeverAsACounterThatFell() {
    meter.overrideFloat(CURRENT_L1, -0.0f);
    meter.overrideFloat(SYSTEM_IMPORT, 1234.5f);
    poller.poll();
    assertThat(Double.doubleToRawLongBits(exported(CURRENT_L1)))
        .as("a gauge of -0.0 is served as 0")
        .isEqualTo(Double.doubleToRawLongBits(0.0));

    meter.overrideFloatForOneRead(SYSTEM_IMPORT, -0.0f, () -> {});
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isNaN();
    assertThat(errors("counter_decrease")).isEqualTo(1);
    poller.poll();
    assertThat(exported(SYSTEM_IMPORT)).isEqualTo(1234.5 * 3.6e6);
  }
}
