package dev.wagoexporter.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Energy registers that only grow: import and forward reactive energy integrate the household's P
 * and Q over simulated time (trapezoids of at most one minute), booked on the tariff in force. The
 * household has no PV, so export and reverse reactive energy stay at the small values an
 * installer's test left on the meter. Integration moves forward only: a clock that goes back leaves
 * the counters where they are.
 */
final class EnergyCounters {
  private static final long MAX_STEP_NANOS = Duration.ofMinutes(1).toNanos();
  private static final double NANOS_PER_HOUR = 3600e9;
  private static final double[] START_IMPORT_KWH = {5123.45, 4387.12, 3967.80};
  private static final double[] EXPORT_KWH = {0.82, 0.31, 0.47};
  private static final double[] REVERSE_REACTIVE_KVARH = {0.21, 0.12, 0.34};
  private static final double DAY_SHARE = 0.62;

  private final HouseholdLoad load;
  private final ZoneId zone;
  private final double[][] importKwh = new double[3][2];
  private final double[][] exportKwh = new double[3][2];
  private final double[][] reactiveForwardKvarh = new double[3][2];
  private final double[][] reactiveReverseKvarh = new double[3][2];
  private final double[] importSinceStartKwh = new double[3];
  private Instant integratedUntil;
  private GridReading lastReading;

  EnergyCounters(HouseholdLoad load, ZoneId zone, Instant start, int unitId) {
    this.load = load;
    this.zone = zone;
    double offset = 1000.0 * (unitId - 1);
    for (int p = 0; p < 3; p++) {
      double start0 = START_IMPORT_KWH[p] + offset;
      importKwh[p][0] = start0 * DAY_SHARE;
      importKwh[p][1] = start0 * (1 - DAY_SHARE);
      reactiveForwardKvarh[p][0] = importKwh[p][0] * 0.28;
      reactiveForwardKvarh[p][1] = importKwh[p][1] * 0.31;
      exportKwh[p][0] = EXPORT_KWH[p];
      reactiveReverseKvarh[p][0] = REVERSE_REACTIVE_KVARH[p];
    }
    this.integratedUntil = start;
    this.lastReading = load.at(start, zone);
  }

  /**
   * The counters at {@code instant}, integrating up to it first if it is later than anything seen
   * so far.
   */
  synchronized EnergyReading at(Instant instant) {
    while (instant.isAfter(integratedUntil)) {
      long stepNanos =
          Math.min(MAX_STEP_NANOS, Duration.between(integratedUntil, instant).toNanos());
      Instant next = integratedUntil.plusNanos(stepNanos);
      GridReading nextReading = load.at(next, zone);
      double hours = stepNanos / NANOS_PER_HOUR;
      int tariff = HouseholdLoad.tariffAt(integratedUntil.plusNanos(stepNanos / 2), zone);
      for (int p = 0; p < 3; p++) {
        double kwh =
            hours * (lastReading.phase(p).activeKw() + nextReading.phase(p).activeKw()) / 2;
        double kvarh =
            hours * (lastReading.phase(p).reactiveKvar() + nextReading.phase(p).reactiveKvar()) / 2;
        importKwh[p][tariff - 1] += kwh;
        importSinceStartKwh[p] += kwh;
        reactiveForwardKvarh[p][tariff - 1] += kvarh;
      }
      integratedUntil = next;
      lastReading = nextReading;
    }
    return new EnergyReading(
        importKwh, exportKwh, reactiveForwardKvarh, reactiveReverseKvarh, importSinceStartKwh);
  }
}
