package dev.wagoexporter.poll;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the last poll of one meter left: replaced whole when a poll ends, so its values, {@code up}
 * and duration always come from the same poll.
 *
 * @param snapshot the newest values; none before the first success and after a failed poll
 * @param up whether the last poll succeeded
 * @param lastSuccess the last successful poll (none before the first); wall time, for people
 * @param lastSuccessNanos the monotonic time of the last successful poll, for its age; 0 before
 * @param duration how long the last poll took; none until the first poll ended
 * @param failure why the last poll failed: none before the first poll ended and after a success
 */
public record LastPoll(
    @Nullable MeterSnapshot snapshot,
    boolean up,
    @Nullable Instant lastSuccess,
    long lastSuccessNanos,
    @Nullable Duration duration,
    @Nullable PollError failure) {
  static final LastPoll NONE = new LastPoll(null, false, null, 0, null, null);

  LastPoll succeeded(MeterSnapshot newSnapshot, Duration took) {
    return new LastPoll(
        newSnapshot, true, newSnapshot.takenAt(), newSnapshot.takenAtNanos(), took, null);
  }

  LastPoll failed(PollError error, Duration took) {
    return new LastPoll(null, false, lastSuccess, lastSuccessNanos, took, error);
  }
}
