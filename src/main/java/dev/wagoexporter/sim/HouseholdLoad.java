package dev.wagoexporter.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A three-phase household as a pure function of time: night base load, a morning and a larger
 * evening peak, a fridge cycling on L2, unbalanced phases, voltages drifting in 228–238 V and a
 * frequency near 50 Hz. Being a function of time (no random state) makes every request at the same
 * instant see the same values.
 */
final class HouseholdLoad {
  private static final double TWO_PI = 2 * Math.PI;

  // per phase: night base load (kW) and share of the morning, midday and evening peaks
  private static final double[] BASE_KW = {0.11, 0.07, 0.15};
  private static final double[] MORNING_SHARE = {0.5, 0.3, 0.2};
  private static final double[] MIDDAY_SHARE = {0.2, 0.5, 0.3};
  private static final double[] EVENING_SHARE = {0.45, 0.2, 0.35};
  private static final double[] VOLTAGE_OFFSET = {-1.5, 0.8, 2.6};

  private final double scale;
  private final double phaseShift;

  /** Meters on one bus differ a little: {@code unitId} varies the household's size and timing. */
  HouseholdLoad(int unitId) {
    this.scale = 1.0 + 0.15 * ((unitId - 1) % 5);
    this.phaseShift = 0.7 * unitId;
  }

  GridReading at(Instant instant, ZoneId zone) {
    double t = instant.getEpochSecond() + instant.getNano() / 1e9;
    ZonedDateTime local = instant.atZone(zone);
    double hour =
        local.getHour()
            + local.getMinute() / 60.0
            + (local.getSecond() + local.getNano() / 1e9) / 3600.0;

    double morning = 1.2 * bump(hour, 7.2, 0.8);
    double midday = 0.5 * bump(hour, 12.5, 1.2);
    double evening = 2.0 * bump(hour, 19.0, 1.5);
    double slowDrift = 2.0 * Math.sin(TWO_PI * t / (5.3 * 3600) + phaseShift);

    List<PhaseReading> phases = new ArrayList<>(3);
    for (int p = 0; p < 3; p++) {
      double wobble =
          0.06 * Math.sin(TWO_PI * t / 517 + phaseShift + p)
              + 0.04 * Math.sin(TWO_PI * t / 1931 + 2 * p);
      double kw =
          scale
                  * (BASE_KW[p]
                      + MORNING_SHARE[p] * morning
                      + MIDDAY_SHARE[p] * midday
                      + EVENING_SHARE[p] * evening)
              + wobble;
      if (p == 1) {
        kw += 0.045 * (1 + Math.sin(TWO_PI * t / 2700)); // fridge compressor cycle
      }
      kw = Math.max(0.02, kw);

      double volts =
          233.0 + VOLTAGE_OFFSET[p] + slowDrift + 0.6 * Math.sin(TWO_PI * t / 613 + p) - 0.8 * kw;
      volts = clamp(volts, 228.0, 238.0);

      // heavier loads are mostly resistive (kettle, oven): power factor rises with load
      double pf = 0.86 + 0.12 * kw / (kw + 0.4) + 0.005 * Math.sin(TWO_PI * t / 389 + p);
      pf = clamp(pf, 0.85, 0.99);

      phases.add(PhaseReading.of(volts, kw, pf));
    }
    double hz = 50.0 + 0.02 * Math.sin(TWO_PI * t / 97) + 0.015 * Math.sin(TWO_PI * t / 1103);
    return new GridReading(phases, hz);
  }

  /** Tariff in force at that local time: T1 (day, 06:00–22:00) or T2 (night). */
  static int tariffAt(Instant instant, ZoneId zone) {
    int hour = instant.atZone(zone).getHour();
    return hour >= 6 && hour < 22 ? 1 : 2;
  }

  private static double bump(double hour, double center, double width) {
    double d = Math.abs(hour - center);
    d = Math.min(d, 24 - d); // the day wraps around midnight
    return Math.exp(-0.5 * (d / width) * (d / width));
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
