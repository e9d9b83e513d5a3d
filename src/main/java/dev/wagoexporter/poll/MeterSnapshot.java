package dev.wagoexporter.poll;

import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The values of one successful poll of one meter, in exported units, indexed by {@code
 * RegisterPoint.index()}. NaN marks a value that was dropped (implausible, or a counter that went
 * down). Never modified after the poll that made it, so a scrape always sees one consistent
 * picture.
 *
 * @param takenAt wall time, for people (the last success's timestamp)
 * @param takenAtNanos monotonic time ({@code TimeSource.nanoTime()}), for freshness: a wall clock
 *     stepped by NTP must not age or un-age the values
 */
// The array is the poll's own, handed over and never written again (a copy per scrape would cost
// more than it guards); equals, hashCode and toString go by its contents.
@SuppressWarnings("ArrayRecordComponent")
public record MeterSnapshot(Instant takenAt, long takenAtNanos, double[] values) {
  public double value(int pointIndex) {
    return values[pointIndex];
  }

  /** Whether at most {@code maxAge} has passed since the poll, at monotonic {@code nowNanos}. */
  public boolean youngerThan(Duration maxAge, long nowNanos) {
    return TimeSource.youngerThan(takenAtNanos, maxAge, nowNanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeterSnapshot other
        && takenAt.equals(other.takenAt)
        && takenAtNanos == other.takenAtNanos
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * takenAt.hashCode() + Long.hashCode(takenAtNanos)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MeterSnapshot[takenAt="
        + takenAt
        + ", takenAtNanos="
        + takenAtNanos
        + ", values="
        + Arrays.toString(values)
        + "]";
  }
}
