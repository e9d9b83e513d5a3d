package dev.wagoexporter.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The values of one successful poll of one meter, in exported units, indexed by {@code
 * RegisterPoint.index()}. NaN marks a value that was dropped (implausible, or a counter that went
 * down). Never modified after the poll that made it, so a scrape always sees one consistent
 * picture.
 */
// The array is the poll's own, handed over and never written again (a copy per scrape would cost
// more than it guards); equals, hashCode and toString go by its contents.
@SuppressWarnings("ArrayRecordComponent")
public record MeterSnapshot(Instant takenAt, double[] values) {
  public double value(int pointIndex) {
    return values[pointIndex];
  }

  public boolean youngerThan(Duration maxAge, Instant now) {
    return !takenAt.plus(maxAge).isBefore(now);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeterSnapshot other
        && takenAt.equals(other.takenAt)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * takenAt.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MeterSnapshot[takenAt=" + takenAt + ", values=" + Arrays.toString(values) + "]";
  }
}
