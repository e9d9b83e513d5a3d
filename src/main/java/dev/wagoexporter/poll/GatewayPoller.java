package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.GatewayConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private final GatewayConnection connection;
  private final List<MeterPoller> meters;
  private final ScheduledExecutorService thread;
  private final BusTurns turns;
  // touched on the poll thread only
  private final Map<MeterPoller, ConnectRetry> retries = new HashMap<>();
  private final Map<MeterPoller, ScheduledFuture<?>> pendingRetries = new HashMap<>();

  public GatewayPoller(GatewayConnection connection, List<MeterPoller> meters) {
    this(connection, meters, new BusTurns());
  }

  /**
   * @param turns shared with {@code /probe}'s reads of this gateway, which go after these meters'
   */
  public GatewayPoller(GatewayConnection connection, List<MeterPoller> meters, BusTurns turns) {
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
  @SuppressWarnings("FutureReturnValueIgnored")
  public void start() {
    for (MeterPoller meter : meters) {
      // no future to keep: pollSafely catches everything, so none completes exceptionally, and
      // close() stops them all by shutting the executor down
      long intervalMillis = meter.state().pollInterval().toMillis();
      retries.put(meter, new ConnectRetry(meter.state().pollInterval()));
      thread.scheduleAtFixedRate(
          () -> pollAndRetry(meter), 0, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A poll, and when it found no connection, one extra poll soon after (see {@link ConnectRetry}).
   */
  private void pollAndRetry(MeterPoller meter) {
    pollInTurn(meter);
    ConnectRetry retry = retries.get(meter);
    ScheduledFuture<?> pending = pendingRetries.get(meter);
    if (connection.isConnected()) {
      retry.afterSuccess();
      if (pending != null) {
        pending.cancel(false);
        pendingRetries.remove(meter);
      }
    } else if (pending == null) {
      retry
          .afterFailure()
          .ifPresent(
              delay ->
                  pendingRetries.put(
                      meter,
                      thread.schedule(
                          () -> {
                            pendingRetries.remove(meter);
                            pollAndRetry(meter);
                          },
                          delay.toMillis(),
                          TimeUnit.MILLISECONDS)));
    }
  }

  public GatewayConnection connection() {
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
    connection.shutDown();
    try {
      thread.awaitTermination(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.shutDown();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
