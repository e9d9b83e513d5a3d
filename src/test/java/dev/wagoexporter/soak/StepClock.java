package dev.wagoexporter.soak;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulator's clock, moved only by the soak: between two steps every read of the meter gives the same values. */
final class StepClock extends Clock {
  private volatile Instant now;

  StepClock(Instant start) {
    this.now = start;
  }

  void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the soak runs in UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
