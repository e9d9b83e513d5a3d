package dev.wagoexporter.testsupport;

import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link TimeSource} a test moves: {@link #advance} lets time pass at once (both clocks move),
 * {@link #stepWall} steps only the wall clock, as NTP does on a Pi without a real-time clock. A
 * frozen one stands still between moves, for exact durations and ages; a running one also follows
 * the machine's monotonic clock, for tests with real sockets, whose waits take real time.
 */
public final class TestTime implements TimeSource {
  private final boolean running;
  private final long origin = System.nanoTime();
  private final Instant wallAtOrigin;
  private volatile long passed;
  private volatile Duration wallStep = Duration.ZERO;

  private TestTime(boolean running, Instant wallAtOrigin) {
    this.running = running;
    this.wallAtOrigin = wallAtOrigin;
  }

  /** Stands still at {@code wall} until the test moves it. */
  public static TestTime frozen(Instant wall) {
    return new TestTime(false, wall);
  }

  /** Runs from {@code wall} with the machine's monotonic clock, plus what the test adds. */
  public static TestTime running(Instant wall) {
    return new TestTime(true, wall);
  }

  /** Time passes: {@code d} later on both clocks. */
  public synchronized void advance(Duration d) {
    passed += d.toNanos();
  }

  /** The wall clock jumps by {@code d} (negative: back); monotonic time does not move. */
  public synchronized void stepWall(Duration d) {
    wallStep = wallStep.plus(d);
  }

  @Override
  public long nanoTime() {
    return origin + passed + (running ? System.nanoTime() - origin : 0);
  }

  @Override
  public Instant now() {
    return wallAtOrigin.plusNanos(nanoTime() - origin).plus(wallStep);
  }
}
