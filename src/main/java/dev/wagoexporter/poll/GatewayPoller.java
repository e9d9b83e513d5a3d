package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.BusConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Polls the meters behind one gateway on one thread: the RS485 line has one master, so its meters
 * are read one after another, each on its own interval. Gateways each have their own poller and run
 * in parallel, so a dead gateway never delays another's meters.
 */
public final class GatewayPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayPoller.class);

  private final BusConnection connection;
  private final List<MeterPoller> meters;
  private final ScheduledExecutorService thread;
  private final BusTurns turns;
  // touched on the poll thread only, after start()
  private final Map<MeterPoller, ScheduledFuture<?>> regularPolls = new HashMap<>();
  private final Map<MeterPoller, ScheduledFuture<?>> extraPolls = new HashMap<>();

  /**
   * @param turns shared with {@code /probe}'s reads of this gateway, which go after these meters'
   */
  public GatewayPoller(BusConnection connection, List<MeterPoller> meters, BusTurns turns) {
    this.connection = connection;
    this.turns = turns;
    this.meters = List.copyOf(meters);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "poll-" + connection.address());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling: every meter at once, then on its interval. */
  public void start() {
    // the futures are kept for the time to the next regular poll; pollSafely catches everything,
    // so none completes exceptionally, and close() stops them all by shutting the executor down
    thread.execute(
        () -> {
          for (MeterPoller meter : meters) {
            long intervalMillis = meter.state().pollInterval().toMillis();
            regularPolls.put(
                meter,
                thread.scheduleAtFixedRate(
                    () -> pollAndReconnect(meter), 0, intervalMillis, TimeUnit.MILLISECONDS));
          }
        });
  }

  /**
   * A poll, and when it left no connection, one extra poll when the connection may connect again
   * (its reconnect back-off, 0.5 s doubling up to the shortest poll interval, is the one schedule),
   * if that is sooner than this meter's next regular poll. Without it a gateway that was not up yet
   * when the exporter started (the demo's simulator starts a few milliseconds later) or that comes
   * back after a power cut would be read a whole poll interval later; with it a gateway that stays
   * down is tried no more often than the back-off allows. A poll due while the back-off runs waits
   * for its end: the connection would refuse it at once, without trying the gateway, and the
   * refusal would count as one more connection error.
   */
  private void pollAndReconnect(MeterPoller meter) {
    Optional<Duration> backOff = connection.untilNextConnect();
    if (backOff.isPresent() && !backOff.get().isZero()) {
      pollAgainIn(meter, backOff.get());
      return;
    }
    boolean wasConnected = connection.isConnected();
    pollInTurn(meter);
    Optional<Duration> untilConnect = connection.untilNextConnect();
    if (untilConnect.isEmpty()) {
      ScheduledFuture<?> pending = extraPolls.remove(meter);
      if (pending != null) {
        pending.cancel(false);
      }
      return;
    }
    Duration delay = untilConnect.get();
    // Zero: no back-off is running, a read would connect now. After a link that dropped under
    // this poll, one poll right away tells a blip from a gateway that is gone (its connect then
    // fails and starts the back-off). Otherwise this poll connected and lost the link again (a
    // gateway that accepts and drops): the regular schedule, or it would be tried in a tight loop.
    if (!delay.isZero() || wasConnected) {
      pollAgainIn(meter, delay);
    }
  }

  /**
   * One extra poll of {@code meter} after {@code delay}, unless one is due or the regular comes as
   * soon.
   */
  private void pollAgainIn(MeterPoller meter, Duration delay) {
    if (extraPolls.containsKey(meter) || delay.toNanos() >= untilRegularPoll(meter)) {
      return;
    }
    extraPolls.put(
        meter,
        thread.schedule(
            () -> {
              extraPolls.remove(meter);
              pollAndReconnect(meter);
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS));
  }

  /** Nanoseconds to this meter's next regular poll. */
  private long untilRegularPoll(MeterPoller meter) {
    // every meter of this poller has its regular poll from start() on
    long delay =
        Objects.requireNonNull(regularPolls.get(meter), "not this poller's meter")
            .getDelay(TimeUnit.NANOSECONDS);

    // during its own run a fixed-rate task still reports the time it was due (now or earlier): its
    // next run is one interval after that
    return delay > 0 ? delay : delay + meter.state().pollInterval().toNanos();
  }

  public BusConnection connection() {
    return connection;
  }

  public List<MeterPoller> meters() {
    return meters;
  }

  private void pollInTurn(MeterPoller meter) {
    try {
      turns.takeForConfigured();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      pollSafely(meter);
    } finally {
      turns.release();
    }
  }

  /**
   * A bug in one poll must not cancel the schedule: an uncaught exception would stop this meter for
   * good.
   */
  private static void pollSafely(MeterPoller meter) {
    // every log line of this poll, down to the connection's, names the meter
    try (MDC.MDCCloseable ignored = MDC.putCloseable("meter", meter.state().name())) {
      meter.poll();
    } catch (RuntimeException e) {
      LOG.error("meter {}: unexpected error during poll", meter.state().name(), e);
    }
  }

  /**
   * Stops polling within about {@code maxWait}: the connection is closed first, from this thread,
   * which makes a read in flight fail at once instead of waiting for its timeout.
   */
  public void close(Duration maxWait) {
    thread.shutdownNow();
    connection.close();
    try {
      thread.awaitTermination(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
