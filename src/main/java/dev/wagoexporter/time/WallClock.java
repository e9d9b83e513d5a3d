package dev.wagoexporter.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** A {@link TimeSource}'s wall clock seen as a {@link Clock}, for java.time's calendar code. */
final class WallClock extends Clock {
  private final TimeSource source;
  private final ZoneId zone;

  WallClock(TimeSource source, ZoneId zone) {
    this.source = source;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new WallClock(source, newZone);
  }

  @Override
  public Instant instant() {
    return source.now();
  }
}
