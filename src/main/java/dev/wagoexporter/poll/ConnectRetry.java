package dev.wagoexporter.poll;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try again after a poll that found no connection: 1 s, then twice as long each time, for
 * as long as that is sooner than the meter's next regular poll. Without it a gateway that was not
 * up yet when the exporter started (the demo's simulator starts a few milliseconds later; a gateway
 * after a power cut boots more slowly than a Pi) would be read a whole poll interval later.
 */
final class ConnectRetry {
  static final Duration FIRST = Duration.ofSeconds(1);

  private final Duration pollInterval;
  private Duration next = FIRST;

  ConnectRetry(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /** The delay of the next extra poll, or empty when the regular schedule comes as soon. */
  Optional<Duration> afterFailure() {
    if (next.compareTo(pollInterval) >= 0) {
      return Optional.empty();
    }
    Duration delay = next;
    next = next.multipliedBy(2);
    return Optional.of(delay);
  }

  /** Connected again: the next outage starts from the short delay. */
  void afterSuccess() {
    next = FIRST;
  }
}
