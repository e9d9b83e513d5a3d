package dev.wagoexporter.report;

import java.util.OptionalDouble;

/**
 * Average, minimum and maximum of every sample of another series (e.g. the outdoor temperature) in
 * a period: the mean of the samples, not of time, as Prometheus' {@code avg_over_time}.
 */
public record SeriesStats(double sum, long count, double min, double max) {
  public static final SeriesStats NONE =
      new SeriesStats(0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

  public SeriesStats plus(SeriesStats other) {
    return new SeriesStats(
        sum + other.sum, count + other.count, Math.min(min, other.min), Math.max(max, other.max));
  }

  public OptionalDouble average() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
  }

  public OptionalDouble minimum() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(min);
  }

  public OptionalDouble maximum() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(max);
  }
}
