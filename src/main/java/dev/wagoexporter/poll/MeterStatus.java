package dev.wagoexporter.poll;

import dev.wagoexporter.fault.FaultReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the exporter knows about one meter at one moment, as {@link MeterState#status()} reads it:
 * the last poll whole (values, {@code up}, duration and failure from one and the same poll, never
 * half of one), the identity and read plan, and the counters as they stood when it was read.
 *
 * @param version grows with every change; a status of a version is never older than that change
 * @param lastPoll what the last poll left
 * @param identity the meter's identity block; none until it was read
 * @param readPlan how far the read plan is from the profile's after the meter refused ranges
 * @param requests read requests attempted
 * @param errors errors by reason, every reason present (zero until it happens), in the enum's order
 */
public record MeterStatus(
    long version,
    LastPoll lastPoll,
    @Nullable MeterIdentity identity,
    ReadPlanHealth readPlan,
    long requests,
    Map<FaultReason, Long> errors) {

  public MeterStatus {
    Map<FaultReason, Long> copy = new EnumMap<>(FaultReason.class);
    copy.putAll(errors);
    errors = Collections.unmodifiableMap(copy);
  }

  /** The newest values; none before the first success and after a failed poll. */
  public @Nullable MeterSnapshot snapshot() {
    return lastPoll.snapshot();
  }

  public boolean up() {
    return lastPoll.up();
  }

  /** The last successful poll (none before the first); wall time, for people. */
  public @Nullable Instant lastSuccess() {
    return lastPoll.lastSuccess();
  }

  /** How long the last poll took; none until the first poll ended. */
  public @Nullable Duration lastPollDuration() {
    return lastPoll.duration();
  }

  /** Why the last poll failed: none before the first poll ended and after a successful one. */
  public @Nullable PollError lastFailure() {
    return lastPoll.failure();
  }

  /** What went wrong, as logged: "" while up, "not polled yet" before the first poll ended. */
  public String lastError() {
    if (up()) {
      return "";
    }
    PollError failure = lastFailure();
    return failure == null ? "not polled yet" : failure.message();
  }

  /** The snapshot if it is younger than {@code maxAge} at monotonic {@code nowNanos}. */
  public @Nullable MeterSnapshot snapshotIfYoungerThan(Duration maxAge, long nowNanos) {
    MeterSnapshot snapshot = snapshot();
    return snapshot != null && snapshot.youngerThan(maxAge, nowNanos) ? snapshot : null;
  }

  /** Time since the last successful poll at monotonic {@code nowNanos}; none before the first. */
  public @Nullable Duration sinceLastSuccess(long nowNanos) {
    return lastSuccess() == null ? null : Duration.ofNanos(nowNanos - lastPoll.lastSuccessNanos());
  }
}
