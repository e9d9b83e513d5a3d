package dev.wagoexporter.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last hours of a meter's total active power, from the exporter's own readings, for the status
 * page's chart: readings are averaged into slots of {@link #slot()} (one per poll at the stack's 30
 * s), at most {@link #MAX_POINTS} of them, none older than {@link #WINDOW} behind the newest. So
 * the memory is bounded whatever the poll interval, and a restart starts the chart afresh.
 */
public final class PowerHistory {
  public static final Duration WINDOW = Duration.ofHours(6);
  public static final int MAX_POINTS = 720;

  /** One slot: its start (epoch seconds) and the average power of the readings in it (W). */
  public record Point(long time, double watts) {}

  private final long slotSeconds;
  private final ArrayDeque<Point> done = new ArrayDeque<>();
  private long currentSlot = Long.MIN_VALUE;
  private double currentSum;
  private int currentCount;

  /** Slots of the poll interval, but never so short that 6 h need more than the cap. */
  public PowerHistory(Duration pollInterval) {
    long fewest = WINDOW.toSeconds() / MAX_POINTS;
    this.slotSeconds = Math.max(fewest, Math.max(1, pollInterval.toSeconds()));
  }

  public Duration slot() {
    return Duration.ofSeconds(slotSeconds);
  }

  /** Adds one reading; a NaN (a refused value) is left out. */
  public synchronized void add(Instant at, double watts) {
    if (Double.isNaN(watts)) {
      return;
    }
    long slot = Math.floorDiv(at.getEpochSecond(), slotSeconds) * slotSeconds;
    if (slot != currentSlot) {
      if (currentCount > 0 && slot > currentSlot) {
        done.addLast(new Point(currentSlot, currentSum / currentCount));
      }
      currentSlot = slot;
      currentSum = 0;
      currentCount = 0;
    }
    currentSum += watts;
    currentCount++;
    long oldest = slot - WINDOW.toSeconds();
    while (!done.isEmpty() && (done.size() >= MAX_POINTS || done.peekFirst().time() < oldest)) {
      done.removeFirst();
    }
  }

  /** Every slot, oldest first, the running one last. */
  public synchronized List<Point> points() {
    List<Point> points = new ArrayList<>(done.size() + 1);
    points.addAll(done);
    if (currentCount > 0) {
      points.add(new Point(currentSlot, currentSum / currentCount));
    }
    return points;
  }
}
