package dev.wagoexporter.poll;

import java.time.Duration;
import java.time.Instant;

/**
 * The values of one successful poll of one meter, in exported units, indexed by {@code
 * RegisterPoint.index()}. NaN marks a value that was dropped (implausible, or a counter that went
 * down). Never modified after the poll that made it, so a scrape always sees one consistent
 * picture.
 */
public record MeterSnapshot(Instant takenAt, double[] values) {
  public double value(int pointIndex) {
    return values[pointIndex];
  }

  public boolean youngerThan(Duration maxAge, Instant now) {
    return !takenAt.plus(maxAge).isBefore(now);
  }
}
