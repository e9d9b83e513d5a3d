package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.TransportFailure;
import dev.wagoexporter.profile.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Everything the exporter knows about one meter: written by its poller, read by scrapes and the
 * status page. The changing part is one immutable {@link MeterStatus}, replaced in one atomic write
 * that also bumps its version: a reader that takes {@link #status()} once never sees new values
 * with an old {@code up} (or the reverse), and a cache keyed on the version never keeps such a mix.
 */
public final class MeterState {
  private final String name;
  private final Profile profile;
  private final Duration pollInterval;
  private final Duration timeout;
  private final String gateway;
  private final int unitId;
  private final AtomicReference<MeterStatus> status;
  private final List<Consumer<MeterSnapshot>> readingListeners = new CopyOnWriteArrayList<>();

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
    List<String> reasons = new ArrayList<>();
    for (TransportFailure f : TransportFailure.values()) {
      reasons.add(f.label());
    }
    for (DataFault f : DataFault.values()) {
      reasons.add(f.label());
    }
    this.status = new AtomicReference<>(MeterStatus.initial(reasons));
  }

  /** A snapshot older than this is not exported: two missed polls plus one timeout. */
  public Duration maxSnapshotAge() {
    return pollInterval.multipliedBy(2).plus(timeout);
  }

  /**
   * Everything that changes, as of now, in one consistent piece: read it once and take every field
   * from it.
   */
  public MeterStatus status() {
    return status.get();
  }

  /** The newest snapshot if it is fresh enough to export, else null. */
  public MeterSnapshot freshSnapshot(Instant now) {
    return freshSnapshot(status(), now);
  }

  /** The status's snapshot if it is fresh enough to export at {@code now}, else null. */
  public MeterSnapshot freshSnapshot(MeterStatus of, Instant now) {
    return of.snapshotIfYoungerThan(maxSnapshotAge(), now);
  }

  void succeeded(MeterSnapshot newSnapshot, Duration duration) {
    change(s -> s.succeeded(newSnapshot, duration));
    readingListeners.forEach(l -> l.accept(newSnapshot));
  }

  /**
   * Calls {@code listener} with every successful poll's snapshot, on the poll thread: it must be
   * quick and must not throw. The status page's own memory (today's energy, the power chart) is
   * kept this way, whether anybody looks at the page or not.
   */
  public void onReading(Consumer<MeterSnapshot> listener) {
    readingListeners.add(listener);
  }

  void failed(PollError error, Duration duration) {
    change(s -> s.failed(error, duration));
  }

  void countRequest() {
    change(MeterStatus::withRequestCounted);
  }

  void countError(String reason) {
    change(s -> s.withErrorCounted(reason));
  }

  void readPlan(ReadPlanHealth health) {
    change(s -> s.withReadPlan(health));
  }

  void identity(MeterIdentity id) {
    change(s -> s.withIdentity(id));
  }

  /**
   * Writers are serialised today (one poll thread per gateway, a lock per probed meter);
   * compare-and-set costs nothing more than a plain write here and keeps every change even if two
   * writers ever meet.
   */
  private void change(UnaryOperator<MeterStatus> next) {
    status.updateAndGet(next);
  }

  /**
   * Grows with every change of what this state exports, so a scrape can tell whether anything
   * changed.
   */
  public long changes() {
    return status().version();
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
    return status().up();
  }

  /** Null until the first successful poll. */
  public Instant lastSuccess() {
    return status().lastSuccess();
  }

  /** Null until the first poll ended. */
  public Duration lastPollDuration() {
    return status().lastPollDuration();
  }

  /** Null until the identity block was read. */
  public MeterIdentity identity() {
    return status().identity();
  }

  public String lastError() {
    return status().lastError();
  }

  /** Why the last poll failed; null before the first poll ended and after a successful one. */
  public PollError lastFailure() {
    return status().lastFailure();
  }

  public long requests() {
    return status().requests();
  }

  /** Errors by reason, every reason present (zero until it happens), in a stable order. */
  public Map<String, Long> errors() {
    return status().errors();
  }
}
