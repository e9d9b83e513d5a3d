package dev.wagoexporter.sim;

import static dev.wagoexporter.sim.WagoRegisterMap.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wagoexporter.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The household model read through the register image, without sockets. */
class SimulatedMeterTest {
  private static final Instant EVENING = Instant.parse("2026-01-15T19:00:00Z");

  private static SimulatedMeter meterAt(ManualClock clock, double speed) {
    return new SimulatedMeter(1, SimulatedTime.startingNow(clock, speed));
  }

  @Test
  void sameInstantGivesTheSameRegisters() {
    var meter = meterAt(new ManualClock(EVENING), 1);
    for (Block b : BLOCKS) {
      for (int a = b.first(); a <= b.last(); a++) {
        assertThat(meter.registerAt(a)).as("0x%04X", a).isEqualTo(meter.registerAt(a));
      }
    }
  }

  @Test
  void instantaneousValuesAreConsistentAndRealisticAroundTheClock() {
    var clock = new ManualClock(Instant.parse("2026-01-15T00:00:00Z"));
    var meter = meterAt(clock, 1);
    double minTotal = Double.MAX_VALUE;
    double maxTotal = 0;
    for (int step = 0; step < 96; step++, clock.advance(Duration.ofMinutes(15))) {
      double pSum = 0;
      double qSum = 0;
      double sSum = 0;
      for (int p = 0; p < 3; p++) {
        double v = meter.floatAt(VOLTAGE_L1 + 2 * p);
        double i = meter.floatAt(CURRENT_L1 + 2 * p);
        double kw = meter.floatAt(ACTIVE_POWER_L1 + 2 * p);
        double kvar = meter.floatAt(REACTIVE_POWER_L1 + 2 * p);
        double kva = meter.floatAt(APPARENT_POWER_L1 + 2 * p);
        double pf = meter.floatAt(POWER_FACTOR_L1 + 2 * p);
        assertThat(v).isBetween(228.0, 238.0);
        assertThat(pf).isBetween(0.85, 0.99);
        assertThat(kw).isBetween(0.0, 3.7);
        assertThat(kva).isCloseTo(v * i / 1000, within(1e-4));
        assertThat(kw).isCloseTo(kva * pf, within(1e-4));
        assertThat(kvar).isCloseTo(Math.sqrt(kva * kva - kw * kw), within(1e-3));
        pSum += kw;
        qSum += kvar;
        sSum += kva;
      }
      double total = meter.floatAt(ACTIVE_POWER_TOTAL);
      assertThat(total).isCloseTo(pSum, within(1e-4));
      assertThat((double) meter.floatAt(REACTIVE_POWER_TOTAL)).isCloseTo(qSum, within(1e-4));
      assertThat((double) meter.floatAt(APPARENT_POWER_TOTAL)).isCloseTo(sSum, within(1e-4));
      assertThat((double) meter.floatAt(POWER_FACTOR_TOTAL)).isCloseTo(pSum / sSum, within(1e-4));
      assertThat(meter.floatAt(FREQUENCY)).isBetween(49.95f, 50.05f);
      double v1 = meter.floatAt(VOLTAGE_L1);
      double v2 = meter.floatAt(VOLTAGE_L1 + 2);
      assertThat((double) meter.floatAt(LINE_VOLTAGE_L1_L2))
          .isCloseTo(Math.sqrt(v1 * v1 + v2 * v2 + v1 * v2), within(1e-3))
          .isBetween(395.0, 412.0);
      minTotal = Math.min(minTotal, total);
      maxTotal = Math.max(maxTotal, total);
    }
    assertThat(minTotal).as("night base load").isLessThan(0.6);
    assertThat(maxTotal).as("evening peak").isGreaterThan(1.5);
  }

  @Test
  void energyCountersOnlyGrowByTheIntegralOfPowerAndTheirSumsHold() {
    var clock = new ManualClock(EVENING);
    var meter = meterAt(clock, 1);
    float importStart = meter.floatAt(ACTIVE_ENERGY_IMPORT);
    assertThat(importStart).isBetween(5_000f, 40_000f);
    double previous = importStart;
    double expectedKwh = 0;
    double lastKw = meter.floatAt(ACTIVE_POWER_TOTAL);
    for (int minute = 0; minute < 24 * 60; minute++) {
      clock.advance(Duration.ofMinutes(1));
      double kw = meter.floatAt(ACTIVE_POWER_TOTAL);
      expectedKwh += (lastKw + kw) / 2 / 60;
      lastKw = kw;
      double now = meter.floatAt(ACTIVE_ENERGY_IMPORT);
      assertThat(now).isGreaterThanOrEqualTo(previous);
      previous = now;
      if (minute % 97 == 0) {
        assertEnergySums(meter);
      }
    }
    assertThat(previous - importStart).isCloseTo(expectedKwh, within(0.01)).isBetween(5.0, 40.0);
    assertThat(meter.floatAt(ACTIVE_ENERGY_EXPORT)).as("no PV: export stays small").isLessThan(5f);
  }

  @Test
  void aFastClockAddsADaysEnergyAndAClockGoingBackNeverLowersACounter() {
    var clock = new ManualClock(EVENING);
    var meter = meterAt(clock, 3600);
    float start = meter.floatAt(ACTIVE_ENERGY_TOTAL);
    clock.advance(Duration.ofSeconds(24)); // one simulated day
    float later = meter.floatAt(ACTIVE_ENERGY_TOTAL);
    assertThat(later - start).isBetween(5f, 40f);
    clock.advance(Duration.ofSeconds(-20));
    assertThat(meter.floatAt(ACTIVE_ENERGY_TOTAL)).isEqualTo(later);
  }

  @Test
  void overridesPinValuesUntilCleared() {
    var meter = meterAt(new ManualClock(EVENING), 1);
    meter.overrideFloat(VOLTAGE_L1, Float.NaN);
    meter.overrideFloat(ACTIVE_POWER_TOTAL, 3.67e-27f);
    meter.overrideRegister(DATA_FORMAT, 2);
    assertThat(meter.floatAt(VOLTAGE_L1)).isNaN();
    assertThat(meter.floatAt(ACTIVE_POWER_TOTAL)).isEqualTo(3.67e-27f);
    assertThat(meter.registerAt(DATA_FORMAT)).isEqualTo(2);
    meter.clearOverrides();
    assertThat(meter.floatAt(VOLTAGE_L1)).isBetween(228f, 238f);
    assertThat(meter.registerAt(DATA_FORMAT)).isEqualTo(1);
    assertThatThrownBy(() -> meter.overrideRegister(0x7000, 1))
        .hasMessageContaining("0x7000 is outside");
    assertThatThrownBy(() -> meter.registerAt(0x5038)).hasMessageContaining("outside the WAGO map");
  }

  private static void assertEnergySums(SimulatedMeter m) {
    for (int base :
        new int[] {
          ACTIVE_ENERGY_IMPORT,
          ACTIVE_ENERGY_EXPORT,
          ACTIVE_ENERGY_TOTAL,
          REACTIVE_ENERGY_FORWARD,
          REACTIVE_ENERGY_REVERSE,
          REACTIVE_ENERGY_TOTAL
        }) {
      double total = m.floatAt(base);
      double phases =
          m.floatAt(base + GROUP_L1)
              + m.floatAt(base + GROUP_L1 + 2)
              + m.floatAt(base + GROUP_L1 + 4);
      double tariffs = m.floatAt(base + GROUP_T1) + m.floatAt(base + GROUP_T2);
      assertThat(phases).as("phases of 0x%04X", base).isCloseTo(total, within(0.01));
      assertThat(tariffs).as("tariffs of 0x%04X", base).isCloseTo(total, within(0.01));
    }
    // combination code 3: total = import + export
    assertThat((double) m.floatAt(ACTIVE_ENERGY_TOTAL))
        .isCloseTo(m.floatAt(ACTIVE_ENERGY_IMPORT) + m.floatAt(ACTIVE_ENERGY_EXPORT), within(0.01));
    assertThat((double) m.floatAt(Q1_REACTIVE_ENERGY))
        .isCloseTo(m.floatAt(REACTIVE_ENERGY_FORWARD), within(0.01));
  }
}
