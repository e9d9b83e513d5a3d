package dev.wagoexporter.poll;

import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whose turn it is on one line's {@link dev.wagoexporter.modbus.BusConnection}: the contract for
 * using a connection that others share. Every request through it is made holding the turn, taken
 * here and released after the reply: the configured meters' polls first, then probes. A configured
 * poll waits at most for the one probe already on the bus; a probe waits while the bus is busy or a
 * configured poll is waiting, and gives up at its deadline (the scrape then gets 503). Without
 * this, 8 clients probing unused unit ids kept the configured meter off the bus for 10 s: the
 * connection's monitor is unfair, so waiting probes won it again and again.
 */
public final class BusTurns {
  private final TimeSource time;
  private boolean busy;
  private int configuredWaiting;

  /** Turns whose probe deadlines run on {@code time}'s monotonic clock. */
  public BusTurns(TimeSource time) {
    this.time = time;
  }

  /** Waits for the bus for a configured meter's poll; release with {@link #release}. */
  public synchronized void takeForConfigured() throws InterruptedException {
    configuredWaiting++;
    try {
      while (busy) {
        wait();
      }
      busy = true;
    } finally {
      configuredWaiting--;
    }
  }

  /**
   * Waits for the bus for a probe or a request of a Modbus TCP proxy client, behind every
   * configured poll, at most {@code maxWait}.
   *
   * @return false when the bus did not become free in time
   */
  public synchronized boolean takeForProbe(Duration maxWait) throws InterruptedException {
    long deadline = time.nanoTime() + maxWait.toNanos();
    while (busy || configuredWaiting > 0) {
      long left = deadline - time.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    busy = true;
    return true;
  }

  public synchronized void release() {
    busy = false;
    notifyAll();
  }
}
