package dev.wagoexporter.poll;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.profile.Profile;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Everything the exporter knows about one meter: written by its poller, read by scrapes and the
 * status page. The last poll is one immutable {@link LastPoll}, replaced in one atomic write when a
 * poll ends, so values, {@code up} and the poll's duration always come from one poll. The counters
 * are monotonic and counted where they happen, apart from it. Every change bumps the version after
 * it is written, and {@link #status()} reads the version first: a status is never older than its
 * version, so a cache keyed on the version never keeps a stale mix.
 */
public final class MeterState {
  private final String name;
  private final Profile profile;
  private final Duration pollInterval;
  private final Duration timeout;
  private final String gateway;
  private final int unitId;
  private final AtomicReference<LastPoll> lastPoll = new AtomicReference<>(LastPoll.NONE);
  private volatile @Nullable MeterIdentity identity;
  private volatile ReadPlanHealth readPlan = ReadPlanHealth.WHOLE;
  private final AtomicLong requests = new AtomicLong();

  /** Every reason, in the enum's order; the map is never changed, only its counters. */
  private final Map<FaultReason, AtomicLong> errors = new EnumMap<>(FaultReason.class);

  private final AtomicLong version = new AtomicLong();
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
    for (FaultReason reason : FaultReason.values()) {
      errors.put(reason, new AtomicLong());
    }
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
    long v = version.get();
    Map<FaultReason, Long> counted = new EnumMap<>(FaultReason.class);
    errors.forEach((reason, count) -> counted.put(reason, count.get()));
    // lastPoll starts at NONE and is only ever replaced by another LastPoll
    LastPoll last = Objects.requireNonNull(lastPoll.get());
    return new MeterStatus(v, last, identity, readPlan, requests.get(), counted);
  }

  /**
   * The newest snapshot if it is fresh enough to export at monotonic {@code nowNanos} ({@code
   * TimeSource.nanoTime()}).
   */
  public @Nullable MeterSnapshot freshSnapshot(long nowNanos) {
    return freshSnapshot(status(), nowNanos);
  }

  /** The status's snapshot if it is fresh enough to export at monotonic {@code nowNanos}. */
  public @Nullable MeterSnapshot freshSnapshot(MeterStatus of, long nowNanos) {
    return of.snapshotIfYoungerThan(maxSnapshotAge(), nowNanos);
  }

  void succeeded(MeterSnapshot newSnapshot, Duration duration) {
    lastPoll.updateAndGet(p -> p.succeeded(newSnapshot, duration));
    version.incrementAndGet();
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
    lastPoll.updateAndGet(p -> p.failed(error, duration));
    version.incrementAndGet();
  }

  void countRequest() {
    requests.incrementAndGet();
    version.incrementAndGet();
  }

  void countError(FaultReason reason) {
    // the map holds every reason from the start
    Objects.requireNonNull(errors.get(reason)).incrementAndGet();
    version.incrementAndGet();
  }

  void readPlan(ReadPlanHealth health) {
    if (!health.equals(readPlan)) {
      readPlan = health;
      version.incrementAndGet();
    }
  }

  void identity(MeterIdentity id) {
    identity = id;
    version.incrementAndGet();
  }

  /** The identity block; none until it was read. */
  @Nullable MeterIdentity identity() {
    return identity;
  }

  /**
   * Grows with every change of what this state exports, so a scrape can tell whether anything
   * changed.
   */
  public long changes() {
    return version.get();
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
}
