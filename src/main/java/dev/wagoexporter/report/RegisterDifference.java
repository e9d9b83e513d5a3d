package dev.wagoexporter.report;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The energy a register counted in a period: its reading at the end minus its reading at the start
 * (no extrapolation, unlike PromQL {@code increase()}), corrected for counter resets.
 *
 * <p>The readings come on a fixed grid (the last sample at or up to the lookback before each grid
 * instant). Between two grid readings the counter normally only grows, so their difference is
 * exact. Where it went down, the raw samples of that stretch are read and only their rises are
 * summed. A drop itself counts nothing: a replaced meter starts at its own factory reading, which
 * is not consumption (PromQL would count the whole new reading), and the energy between the last
 * sample of the old count and the first of the new one is not known to anybody.
 */
public final class RegisterDifference {
  private RegisterDifference() {}

  public static PeriodEnergy over(
      EnergyRegister register,
      NavigableMap<Instant, Double> readings,
      ReportPeriod period,
      RawSampleSource raw)
      throws IOException {
    Instant start = period.start().toInstant();
    Instant end = period.end().toInstant();
    if (!readings.containsKey(start)) {
      return PeriodEnergy.unknown("no reading at start " + period.start().toOffsetDateTime());
    }
    if (!readings.containsKey(end)) {
      return PeriodEnergy.unknown("no reading at end " + period.end().toOffsetDateTime());
    }
    double joules = 0;
    int resets = 0;
    Map.Entry<Instant, Double> previous = null;
    for (Map.Entry<Instant, Double> reading : readings.subMap(start, true, end, true).entrySet()) {
      if (previous != null) {
        double rise = reading.getValue() - previous.getValue();
        if (rise >= 0) {
          joules += rise;
        } else {
          List<Sample> samples = raw.samples(register, previous.getKey(), reading.getKey());
          double last = previous.getValue();
          for (Sample sample : samples) {
            if (sample.value() >= last) {
              joules += sample.value() - last;
            } else {
              resets++;
            }
            last = sample.value();
          }
        }
      }
      previous = reading;
    }
    return PeriodEnergy.known(joules, resets);
  }
}
