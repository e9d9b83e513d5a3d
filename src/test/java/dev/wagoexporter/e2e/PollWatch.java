package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.testsupport.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Watches the meter's polls from outside, through /metrics, while a test runs: a thread scrapes
 * every 50 ms and keeps each new {@code wago_last_success_timestamp_seconds}, so the gaps between
 * successful polls are known; errors are the sum of {@code wago_modbus_errors_total}.
 */
final class PollWatch implements AutoCloseable {
  private static final String LAST_SUCCESS = "wago_last_success_timestamp_seconds{meter=\"main\"}";

  private final ProxiedLine line;
  private final double errorsBefore;
  private final List<Double> successes = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean stop;

  PollWatch(ProxiedLine line) {
    this.line = line;
    this.errorsBefore = errors(line.scrape());
    sampler = new Thread(this::sample, "poll-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static double errors(Scrape scrape) {
    return scrape.series().entrySet().stream()
        .filter(e -> e.getKey().startsWith("wago_modbus_errors_total{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private void sample() {
    while (!stop) {
      Double last = line.scrape().get(LAST_SUCCESS);
      synchronized (successes) {
        if (last != null
            && last > 0
            && (successes.isEmpty() || !last.equals(successes.get(successes.size() - 1)))) {
          successes.add(last);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The intervals between successive successful polls seen so far, in seconds. */
  List<Double> intervals() {
    synchronized (successes) {
      List<Double> out = new ArrayList<>();
      for (int i = 1; i < successes.size(); i++) {
        out.add(successes.get(i) - successes.get(i - 1));
      }
      return out;
    }
  }

  /**
   * Stops watching and checks that the polls kept their schedule: no poll failed, none was skipped,
   * and none came later than a fraction of the interval (a proxied request may delay a poll by one
   * request on the line; a missed poll would show as a gap of two intervals).
   */
  void assertPollsOnTime() throws InterruptedException {
    // a quick test still watches a few polls
    await().atMost(Timeouts.scaled(Duration.ofSeconds(20))).until(() -> intervals().size() >= 3);
    stop = true;
    sampler.join();
    Scrape scrape = line.scrape();
    assertThat(errors(scrape) - errorsBefore).as("poll errors: %s", scrape.series()).isZero();
    assertThat(scrape.up()).isEqualTo(1.0);
    List<Double> intervals = intervals();
    assertThat(intervals).as("successful polls seen").hasSizeGreaterThanOrEqualTo(2);
    double interval = ProxiedLine.INTERVAL.toMillis() / 1000.0;
    double slack =
        Math.min(Timeouts.scaled(Duration.ofMillis(300)).toMillis() / 1000.0, interval * 0.9);
    assertThat(intervals)
        .as("poll intervals (s), every one within %.2f s of %.1f s", slack, interval)
        .allSatisfy(i -> assertThat(i).isBetween(interval - slack, interval + slack));
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    sampler.join();
  }
}
