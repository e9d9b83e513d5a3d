package dev.wagoexporter.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The household's time: starts at the clock's instant when the simulator starts and runs {@code
 * speed} times faster.
 */
record SimulatedTime(Clock clock, Instant start, double speed) {

  static SimulatedTime startingNow(Clock clock, double speed) {
    return new SimulatedTime(clock, clock.instant(), speed);
  }

  Instant now() {
    Instant real = clock.instant();
    if (speed == 1.0) {
      return real;
    }
    double elapsedNanos = Duration.between(start, real).toNanos() * speed;
    return start.plusNanos((long) elapsedNanos);
  }

  ZoneId zone() {
    return clock.getZone();
  }
}
