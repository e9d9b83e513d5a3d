package dev.wagoexporter.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Faults armed for the next requests to a served unit id: hand it to {@link
 * MeterSimulator#start(SimulatorOptions, LineFaults)}, then break the line from the test. Faults
 * are used in the order they were armed; a fault armed "until cleared" stays in force (and hides
 * the ones armed after it) until {@link #clear()}. Thread-safe.
 */
public final class FaultInjector implements LineFaults {
  private static final int UNTIL_CLEARED = -1;

  private record Armed(Fault fault, int remaining) {}

  private final Deque<Armed> armed = new ArrayDeque<>();
  private volatile Duration delay = Duration.ofSeconds(3);
  private volatile int exceptionCode =
      0x04; // slave device failure: what a meter answers when it cannot measure

  /** Applies {@code fault} to the next {@code times} requests (after any faults armed before). */
  public synchronized void inject(Fault fault, int times) {
    if (fault == null) {
      throw new IllegalArgumentException("fault must not be null");
    }
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1, was " + times);
    }
    armed.addLast(new Armed(fault, times));
  }

  /**
   * Applies {@code fault} to every request from now on (after any faults armed before) until {@link
   * #clear()}.
   */
  public synchronized void injectUntilCleared(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException("fault must not be null");
    }
    armed.addLast(new Armed(fault, UNTIL_CLEARED));
  }

  /** How late a {@link Fault#DELAY} reply goes out (default 3 s). */
  public void setDelay(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
    }
    this.delay = delay;
  }

  /** The exception code of a {@link Fault#EXCEPTION} reply (default 04, slave device failure). */
  public void setExceptionCode(int code) {
    if (code < 1 || code > 255) {
      throw new IllegalArgumentException("exception code must be 1..255, was " + code);
    }
    this.exceptionCode = code;
  }

  /** Disarms every fault; the next request is answered normally. */
  public synchronized void clear() {
    armed.clear();
  }

  /**
   * How many faults are still armed ({@code Integer.MAX_VALUE} when one is armed until cleared).
   */
  public synchronized int pending() {
    long sum = 0;
    for (Armed a : armed) {
      if (a.remaining == UNTIL_CLEARED) {
        return Integer.MAX_VALUE;
      }
      sum += a.remaining;
    }
    return (int) Math.min(sum, Integer.MAX_VALUE);
  }

  @Override
  public Duration delay() {
    return delay;
  }

  @Override
  public int exceptionCode() {
    return exceptionCode;
  }

  @Override
  public synchronized Optional<Fault> takeNext() {
    Armed head = armed.peekFirst();
    if (head == null) {
      return Optional.empty();
    }
    if (head.remaining != UNTIL_CLEARED) {
      armed.removeFirst();
      if (head.remaining > 1) {
        armed.addFirst(new Armed(head.fault, head.remaining - 1));
      }
    }
    return Optional.of(head.fault);
  }
}
