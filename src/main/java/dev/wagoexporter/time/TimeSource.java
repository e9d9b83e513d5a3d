package dev.wagoexporter.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The exporter's one source of time for the wire layer and polling, injected so that a test can
 * drive it. Two clocks, for two uses:
 *
 * <ul>
 *   <li>{@link #nanoTime()}, monotonic: deadlines, back-offs, pauses, poll durations and the
 *       freshness of values. A Raspberry Pi has no real-time clock and steps its wall clock when
 *       NTP comes up after boot; on the wall clock that step would age or un-age a snapshot.
 *   <li>{@link #now()}, the wall clock: only where a human reads a time (the last success's
 *       timestamp, the time {@code /api/meters} was generated).
 * </ul>
 */
public interface TimeSource {
  /** Monotonic nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
  long nanoTime();

  /** The wall clock, for timestamps people read. */
  Instant now();

  /**
   * This source's wall clock as a {@link java.time.Clock} (UTC), for code that works in calendar
   * time through java.time (the status page's days and months).
   */
  default java.time.Clock wallClock() {
    return new WallClock(this, java.time.ZoneOffset.UTC);
  }

  /**
   * The one freshness rule: whether at most {@code maxAge} has passed between monotonic {@code
   * sinceNanos} and {@code nowNanos}.
   */
  static boolean youngerThan(long sinceNanos, Duration maxAge, long nowNanos) {
    return nowNanos - sinceNanos <= maxAge.toNanos();
  }

  /** The machine's clocks. */
  static TimeSource system() {
    return SystemTime.INSTANCE;
  }

  /** {@link System#nanoTime()} and the system's UTC clock. */
  enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }
  }
}
