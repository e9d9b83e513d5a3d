package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.TransportFailure;
import dev.wagoexporter.profile.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the exporter knows about one meter: written by its poller, read by scrapes and the
 * landing page. Each field is replaced whole, never mutated in place.
 */
public final class MeterState {
  private final String name;
  private final Profile profile;
  private final Duration pollInterval;
  private final Duration timeout;
  private final String gateway;
  private final int unitId;
  private final LongAdder requests = new LongAdder();
  private final Map<String, LongAdder> errors;
  private final AtomicLong changes = new AtomicLong();

  private volatile MeterSnapshot snapshot;
  private volatile boolean up;
  private volatile Instant lastSuccess;
  private volatile Duration lastPollDuration;
  private volatile MeterIdentity identity;
  private volatile String lastError = "not polled yet";

  public MeterState(
      String name,
      Profile profile,
      String gateway,
      int unitId,
      Duration pollInterval,
      Duration timeout) {
    this.name = name;
    this.profile = profile;
    this.gateway = gateway;
    this.unitId = unitId;
    this.pollInterval = pollInterval;
    this.timeout = timeout;
    Map<String, LongAdder> byReason = new LinkedHashMap<>();
    for (TransportFailure f : TransportFailure.values()) {
      byReason.put(f.label(), new LongAdder());
    }
    for (DataFault f : DataFault.values()) {
      byReason.put(f.label(), new LongAdder());
    }
    this.errors = Collections.unmodifiableMap(byReason);
  }

  /** A snapshot older than this is not exported: two missed polls plus one timeout. */
  public Duration maxSnapshotAge() {
    return pollInterval.multipliedBy(2).plus(timeout);
  }

  /** The newest snapshot if it is fresh enough to export, else null. */
  public MeterSnapshot freshSnapshot(Instant now) {
    MeterSnapshot s = snapshot;
    return s != null && s.youngerThan(maxSnapshotAge(), now) ? s : null;
  }

  void succeeded(MeterSnapshot newSnapshot, Duration duration) {
    changes.incrementAndGet();
    snapshot = newSnapshot;
    lastSuccess = newSnapshot.takenAt();
    lastPollDuration = duration;
    lastError = "";
    up = true;
  }

  void failed(String error, Duration duration) {
    changes.incrementAndGet();
    snapshot = null;
    lastPollDuration = duration;
    lastError = error;
    up = false;
  }

  void countRequest() {
    changes.incrementAndGet();
    requests.increment();
  }

  void countError(String reason) {
    changes.incrementAndGet();
    errors.get(reason).increment();
  }

  void identity(MeterIdentity id) {
    changes.incrementAndGet();
    identity = id;
  }

  /**
   * Grows with every change of what this state exports, so a scrape can tell whether anything
   * changed.
   */
  public long changes() {
    return changes.get();
  }

  public String name() {
    return name;
  }

  public Profile profile() {
    return profile;
  }

  public String gateway() {
    return gateway;
  }

  public int unitId() {
    return unitId;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean up() {
    return up;
  }

  /** Null until the first successful poll. */
  public Instant lastSuccess() {
    return lastSuccess;
  }

  /** Null until the first poll ended. */
  public Duration lastPollDuration() {
    return lastPollDuration;
  }

  /** Null until the identity block was read. */
  public MeterIdentity identity() {
    return identity;
  }

  public String lastError() {
    return lastError;
  }

  public long requests() {
    return requests.sum();
  }

  /** Errors by reason, every reason present (zero until it happens), in a stable order. */
  public Map<String, Long> errors() {
    Map<String, Long> result = new LinkedHashMap<>();
    errors.forEach((reason, count) -> result.put(reason, count.sum()));
    return result;
  }
}
