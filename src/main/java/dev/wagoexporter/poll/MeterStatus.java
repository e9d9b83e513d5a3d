package dev.wagoexporter.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the exporter knows about one meter at one moment. {@link MeterState} replaces it whole on
 * every change, so a reader that takes it once (a scrape, the status page) sees values, {@code up},
 * counters and identity from one and the same moment, never half of a poll.
 *
 * @param version grows with every change; equal versions of one meter mean equal statuses
 * @param snapshot the newest values, null before the first success and after a failed poll
 * @param lastSuccess null until the first successful poll; wall time, for people
 * @param lastSuccessNanos the monotonic time of the last successful poll, for its age; 0 before
 * @param lastPollDuration null until the first poll ended
 * @param identity null until the identity block was read
 * @param lastFailure why the last poll failed: null before the first poll ended and after a
 *     successful one
 * @param errors errors by reason, every reason present (zero until it happens), in a stable order
 * @param readPlan how far the read plan is from the profile's after the meter refused ranges
 */
public record MeterStatus(
    long version,
    MeterSnapshot snapshot,
    boolean up,
    Instant lastSuccess,
    long lastSuccessNanos,
    Duration lastPollDuration,
    MeterIdentity identity,
    PollError lastFailure,
    long requests,
    Map<String, Long> errors,
    ReadPlanHealth readPlan) {

  public MeterStatus {
    errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  /** Before the first poll: every error reason at zero. */
  static MeterStatus initial(Iterable<String> errorReasons) {
    Map<String, Long> errors = new LinkedHashMap<>();
    errorReasons.forEach(reason -> errors.put(reason, 0L));
    return new MeterStatus(
        0, null, false, null, 0, null, null, null, 0, errors, ReadPlanHealth.WHOLE);
  }

  /** What went wrong, as logged: "" while up, "not polled yet" before the first poll ended. */
  public String lastError() {
    if (up) {
      return "";
    }
    return lastFailure == null ? "not polled yet" : lastFailure.message();
  }

  /** The snapshot if it is younger than {@code maxAge} at monotonic {@code nowNanos}, else null. */
  public MeterSnapshot snapshotIfYoungerThan(Duration maxAge, long nowNanos) {
    return snapshot != null && snapshot.youngerThan(maxAge, nowNanos) ? snapshot : null;
  }

  /** Time since the last successful poll at monotonic {@code nowNanos}; null before the first. */
  public Duration sinceLastSuccess(long nowNanos) {
    return lastSuccess == null ? null : Duration.ofNanos(nowNanos - lastSuccessNanos);
  }

  MeterStatus succeeded(MeterSnapshot newSnapshot, Duration duration) {
    return new MeterStatus(
        version + 1,
        newSnapshot,
        true,
        newSnapshot.takenAt(),
        newSnapshot.takenAtNanos(),
        duration,
        identity,
        null,
        requests,
        errors,
        readPlan);
  }

  MeterStatus failed(PollError error, Duration duration) {
    return new MeterStatus(
        version + 1,
        null,
        false,
        lastSuccess,
        lastSuccessNanos,
        duration,
        identity,
        error,
        requests,
        errors,
        readPlan);
  }

  MeterStatus withRequestCounted() {
    return new MeterStatus(
        version + 1,
        snapshot,
        up,
        lastSuccess,
        lastSuccessNanos,
        lastPollDuration,
        identity,
        lastFailure,
        requests + 1,
        errors,
        readPlan);
  }

  MeterStatus withErrorCounted(String reason) {
    Long count = errors.get(reason);
    if (count == null) {
      throw new IllegalArgumentException("unknown error reason " + reason);
    }
    Map<String, Long> counted = new LinkedHashMap<>(errors);
    counted.put(reason, count + 1);
    return new MeterStatus(
        version + 1,
        snapshot,
        up,
        lastSuccess,
        lastSuccessNanos,
        lastPollDuration,
        identity,
        lastFailure,
        requests,
        counted,
        readPlan);
  }

  MeterStatus withIdentity(MeterIdentity id) {
    return new MeterStatus(
        version + 1,
        snapshot,
        up,
        lastSuccess,
        lastSuccessNanos,
        lastPollDuration,
        id,
        lastFailure,
        requests,
        errors,
        readPlan);
  }

  MeterStatus withReadPlan(ReadPlanHealth health) {
    if (health.equals(readPlan)) {
      return this;
    }
    return new MeterStatus(
        version + 1,
        snapshot,
        up,
        lastSuccess,
        lastSuccessNanos,
        lastPollDuration,
        identity,
        lastFailure,
        requests,
        errors,
        health);
  }
}
