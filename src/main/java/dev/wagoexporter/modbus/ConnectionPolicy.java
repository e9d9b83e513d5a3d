package dev.wagoexporter.modbus;

import dev.wagoexporter.config.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BusConnection} treats its link: the pause between requests, how it backs off after a
 * failed connect, when it gives up on a socket that only times out, and how it arrives and leaves.
 * The presets name the three uses; a new use gets a preset here, not a flag on the connection.
 *
 * @param requestPause quiet time between a reply and the next request (at least the RTU frame gap
 *     on a serial line)
 * @param firstBackoff the wait after the first failed connect; it doubles up to {@code maxBackoff}
 * @param maxBackoff the longest wait between two connect attempts
 * @param timeoutsBeforeReconnect timeouts in a row after which a TCP link is closed and opened
 *     again (a half-open socket never errors); {@link #NEVER} keeps the link
 * @param settle after a TCP connect, how long to watch for a gateway that accepts and drops the
 *     connection at once (its one client slot is taken); zero does not watch
 * @param linger when a TCP link closes, how long to wait for the gateway to close its end, so that
 *     its one client slot is free for the next client; zero closes at once
 */
public record ConnectionPolicy(
    Duration requestPause,
    Duration firstBackoff,
    Duration maxBackoff,
    int timeoutsBeforeReconnect,
    Duration settle,
    Duration linger) {
  /** {@link #timeoutsBeforeReconnect} that never reconnects on timeouts. */
  public static final int NEVER = Integer.MAX_VALUE;

  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final int TIMEOUTS_BEFORE_RECONNECT = 3;
  private static final Duration SETTLE = Duration.ofMillis(150);
  private static final Duration LINGER = Duration.ofMillis(500);

  /**
   * A probe comes with each scrape (typically every 30 s); a longer back-off would turn scrapes
   * into wago_up 0.
   */
  private static final Duration PROBE_MAX_BACKOFF = Duration.ofSeconds(5);

  public ConnectionPolicy {
    Objects.requireNonNull(requestPause, "requestPause");
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(linger, "linger");
    if (timeoutsBeforeReconnect < 1) {
      throw new IllegalArgumentException("timeoutsBeforeReconnect must be at least 1");
    }
  }

  /**
   * The exporter's polls: reconnect after three timeouts in a row, back off from 0.5 s up to {@code
   * maxBackoff} (the exporter passes the shortest poll interval on the bus, at most 30 s, so a
   * gateway or stick that comes back is read again within one poll).
   */
  public static ConnectionPolicy polling(Duration requestPause, Duration maxBackoff) {
    return new ConnectionPolicy(
        requestPause,
        Durations.min(maxBackoff, MIN_BACKOFF),
        maxBackoff,
        TIMEOUTS_BEFORE_RECONNECT,
        Duration.ZERO,
        Duration.ZERO);
  }

  /**
   * {@code /probe}'s own connection to a gateway the config does not name: back-off up to 5 s, and
   * leave politely, since a probe in another framing replaces the connection at once and a gateway
   * that serves one client drops a new connection while the old one is still open on its side.
   */
  public static ConnectionPolicy probing() {
    return new ConnectionPolicy(
        Duration.ZERO,
        MIN_BACKOFF,
        PROBE_MAX_BACKOFF,
        TIMEOUTS_BEFORE_RECONNECT,
        Duration.ZERO,
        LINGER);
  }

  /**
   * {@code check}: keep the one socket through timeouts (a scan over unit ids with nobody behind
   * them must not reconnect to a gateway that serves one client), tell a gateway that takes the
   * connection and drops it at once from one that does not answer, and on close wait for the
   * gateway to let go, so that the next client (another check, the exporter) finds the slot free.
   */
  public static ConnectionPolicy diagnosis() {
    return new ConnectionPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, NEVER, SETTLE, LINGER);
  }
}
