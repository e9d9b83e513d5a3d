package dev.wagoexporter.poll;

import java.time.Duration;

/**
 * Puts a {@link MeterState} where a poll would, for tests outside this package that read states
 * (the status API): the same package-private calls the poller makes, without a meter.
 */
public final class MeterStates {
  private MeterStates() {}

  public static void succeeded(MeterState state, MeterSnapshot snapshot) {
    state.succeeded(snapshot, Duration.ofMillis(40));
  }

  public static void failed(MeterState state, PollError error) {
    state.countError(error.reason());
    state.failed(error, Duration.ofMillis(40));
  }

  public static void identity(MeterState state, MeterIdentity identity) {
    state.identity(identity);
  }
}
