package dev.wagoexporter.poll;

import java.util.concurrent.TimeUnit;

/**
 * Keeps one energy register monotonic and believable, so one bad sample can never make a spike in
 * {@code increase()}.
 *
 * <ul>
 *   <li>A lower value is dropped; only when lower values keep coming for {@link
 *       #POLLS_TO_ACCEPT_LOWER} polls in a row (and keep growing from there) is the lower value a
 *       new baseline, as after a meter was replaced.
 *   <li>A rise faster than {@code maxRisePerSecond} (the most the meter can measure, from its
 *       profile) is held back: it is exported only when the next poll confirms it (not lower, and
 *       no implausible rise from it). A reply with the counters 1024 times too high, followed by a
 *       right one, is never exported, and the right one is not mistaken for a decrease.
 * </ul>
 *
 * Time is monotonic (the poller's {@code TimeSource.nanoTime()}, passed in): a wall clock stepped
 * by NTP must not widen or narrow the allowed rise.
 */
final class CounterGuard {
  static final int POLLS_TO_ACCEPT_LOWER = 3;

  /**
   * Added to the time between two polls: a poll's time is taken when it starts, its registers are
   * read up to a poll's duration later.
   */
  static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What became of one value. */
  enum Verdict {
    ACCEPTED,
    /** Lower than the last accepted value: dropped, counted {@code counter_decrease}. */
    DECREASE,
    /** Rose faster than the meter can measure: held back, counted {@code counter_jump}. */
    JUMP
  }

  private final double maxRisePerSecond;
  private double accepted = Double.NaN;
  private long acceptedAt;
  private double lower = Double.NaN;
  private int lowerPolls;
  private double higher = Double.NaN;
  private long higherAt;

  /**
   * @param maxRisePerSecond the largest believable rise per second in register units; infinite for
   *     no limit
   */
  CounterGuard(double maxRisePerSecond) {
    if (!(maxRisePerSecond > 0)) {
      throw new IllegalArgumentException("maxRisePerSecond must be > 0: " + maxRisePerSecond);
    }
    this.maxRisePerSecond = maxRisePerSecond;
  }

  /** A guard of decreases only. */
  CounterGuard() {
    this(Double.POSITIVE_INFINITY);
  }

  /**
   * Judges {@code value}, read at {@code nanoTime}; only an {@link Verdict#ACCEPTED} value may be
   * exported. -0.0 is taken as 0.
   */
  Verdict check(double value, long nanoTime) {
    double v = value + 0.0; // -0.0 + 0.0 == +0.0: a counter never has a sign
    if (Double.isNaN(accepted)) {
      return accept(v, nanoTime);
    }
    if (v < accepted) {
      higher = Double.NaN;
      lowerPolls = !Double.isNaN(lower) && v >= lower ? lowerPolls + 1 : 1;
      lower = v;
      return lowerPolls >= POLLS_TO_ACCEPT_LOWER ? accept(v, nanoTime) : Verdict.DECREASE;
    }
    lower = Double.NaN;
    lowerPolls = 0;
    if (believableRise(accepted, acceptedAt, v, nanoTime)) {
      return accept(v, nanoTime);
    }
    if (!Double.isNaN(higher) && believableRise(higher, higherAt, v, nanoTime)) {
      return accept(v, nanoTime); // the next poll confirms the rise
    }
    higher = v;
    higherAt = nanoTime;
    return Verdict.JUMP;
  }

  private boolean believableRise(double from, long fromAt, double to, long toAt) {
    if (to < from) {
      return false;
    }
    double seconds = (Math.max(0, toAt - fromAt) + SLACK_NANOS) / 1e9;
    return to - from <= maxRisePerSecond * seconds;
  }

  private Verdict accept(double value, long nanoTime) {
    accepted = value;
    acceptedAt = nanoTime;
    lower = Double.NaN;
    lowerPolls = 0;
    higher = Double.NaN;
    return Verdict.ACCEPTED;
  }
}
