package dev.wagoexporter.poll;

import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The meters read on demand by {@code /probe} (Prometheus' multi-target pattern). Each gateway
 * still has exactly one connection, so one request in flight per RS485 bus holds: a gateway that is
 * also in the config is read through its poller's connection, any other through one connection kept
 * here for later probes. Each probed meter keeps its poller between probes, so its identity is read
 * once per connection and its counter guards see every probe's values.
 */
public final class MeterProbes implements AutoCloseable {
  /**
   * Bounds memory when many targets are probed (or someone probes made-up ones); the oldest are
   * forgotten.
   */
  static final int MAX_METERS = 256;

  static final int MAX_OWN_CONNECTIONS = 64;

  /**
   * Only sets how long a probe's snapshot counts as fresh; it is exported right after the poll that
   * made it, and the stale-snapshot rule belongs to Prometheus' scrape interval here, not ours.
   */
  private static final Duration NOMINAL_POLL_INTERVAL = Duration.ofSeconds(30);

  /**
   * A gateway's one connection, the framing every probe through it must ask for, and the turns that
   * put its configured meters' polls before probes.
   */
  public record SharedGateway(
      BusConnection connection, Framing framing, BusTurns turns, Duration maxReplyTimeout) {
    /** A gateway of probes alone: no configured meter waits for it. */
    public SharedGateway(BusConnection connection, Framing framing, TimeSource time) {
      this(connection, framing, new BusTurns(time), Duration.ofDays(1));
    }
  }

  /** The gateway was busy with configured polls or other probes until the probe's deadline. */
  public static final class BusBusyException extends Exception {
    public BusBusyException(String message) {
      super(message);
    }
  }

  /**
   * The probe asks for a framing other than the one its gateway's shared connection is read with:
   * the user's to fix in the probe's parameters (or the config file), so the message says how.
   */
  public static final class FramingConflictException extends Exception {
    public FramingConflictException(String whatAndHowToFix) {
      super(whatAndHowToFix);
    }

    /** Never null: the one constructor takes it. */
    @Override
    public String getMessage() {
      return Objects.requireNonNull(super.getMessage());
    }
  }

  private final Map<GatewayAddress, SharedGateway> configured;
  private final Map<GatewayAddress, SharedGateway> own = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<ProbeTarget, MeterPoller> meters = new LinkedHashMap<>(16, 0.75f, true);
  private final TimeSource time;

  /**
   * @param configured the config's gateways by address, whose connections probes share
   */
  public MeterProbes(Map<GatewayAddress, SharedGateway> configured, TimeSource time) {
    this.configured = Map.copyOf(configured);
    this.time = time;
  }

  /**
   * Polls the target's meter now, on the caller's thread, and returns its state: values on success,
   * {@code up} false with the reason otherwise.
   *
   * @throws FramingConflictException when the target's framing differs from the framing its gateway
   *     is read with
   */
  public MeterState probe(ProbeTarget target, Duration maxWait)
      throws BusBusyException, FramingConflictException, InterruptedException {
    SharedGateway gateway;
    MeterPoller poller;
    synchronized (this) {
      gateway = gatewayFor(target);
      poller = pollerFor(target, gateway);
    }
    if (!gateway.turns().takeForProbe(maxWait)) {
      throw new BusBusyException(
          "gateway "
              + target.gateway()
              + " stayed busy with configured meters or other probes for "
              + maxWait.toMillis()
              + " ms; retry later, probe less often, or give the scrape a longer timeout");
    }
    try {
      // Two scrapes of one target at once would otherwise share the poller's unsynchronised
      // guards.
      synchronized (poller) {
        poller.poll();
      }
    } finally {
      gateway.turns().release();
    }
    return poller.state();
  }

  /** {@link #probe(ProbeTarget, Duration)} waiting up to the target's timeout for the bus. */
  public MeterState probe(ProbeTarget target) throws FramingConflictException {
    try {
      return probe(target, target.timeout());
    } catch (BusBusyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private MeterPoller pollerFor(ProbeTarget target, SharedGateway gateway)
      throws FramingConflictException {
    if (gateway.framing() != target.framing()) {
      throw new FramingConflictException(
          "framing="
              + target.framing()
              + " differs from framing "
              + gateway.framing()
              + " that gateway "
              + target.gateway()
              + " is already read with"
              + (configured.containsKey(target.gateway())
                  ? " (from the config file)"
                  : " (by an earlier probe)")
              + "; meters on one gateway share one connection, so give every probe of it framing="
              + gateway.framing());
    }
    MeterPoller poller = meters.get(target);
    if (poller == null) {
      MeterState state =
          new MeterState(
              target.meterName(),
              target.profile(),
              target.gateway().toString(),
              target.unitId(),
              NOMINAL_POLL_INTERVAL,
              Durations.min(target.timeout(), gateway.maxReplyTimeout()));
      poller = new MeterPoller(state, gateway.connection(), ModbusLimits.MAX_READ_REGISTERS, time);
      meters.put(target, poller);
      if (meters.size() > MAX_METERS) {
        meters.remove(meters.keySet().iterator().next());
      }
    }
    return poller;
  }

  private SharedGateway gatewayFor(ProbeTarget target) {
    GatewayAddress address = target.gateway();
    SharedGateway shared = configured.get(address);
    if (shared != null) {
      return shared;
    }
    shared = own.get(address);
    if (shared != null && shared.framing() != target.framing()) {
      // No probe pins a framing for the others (a typo in one targets file must not hold the
      // gateway in the wrong framing until a restart): the newest probe's framing wins, and a
      // connection in the old one is closed
      // before the new one opens, so that a gateway with one client slot takes the new one.
      forget(address).close(); // lingers (the probing policy): the gateway's slot is free
      shared = null;
    }
    if (shared == null) {
      shared =
          new SharedGateway(
              new BusConnection(
                  new GatewayConfig(target.gateway(), target.framing(), Duration.ZERO),
                  ConnectionPolicy.probing(),
                  time),
              target.framing(),
              time);
      own.put(address, shared);
      if (own.size() > MAX_OWN_CONNECTIONS) {
        forget(own.keySet().iterator().next()).close();
      }
    }
    return shared;
  }

  /**
   * Forgets an own connection and the meters behind it, so no poller reopens it unseen; the caller
   * closes the connection it returns. Every caller names an address it holds.
   */
  private BusConnection forget(GatewayAddress address) {
    SharedGateway gone = Objects.requireNonNull(own.remove(address), "no own connection");

    meters.keySet().removeIf(t -> t.gateway().equals(address));
    return gone.connection();
  }

  @Override
  public synchronized void close() {
    for (GatewayAddress address : new ArrayList<>(own.keySet())) {
      forget(address).close();
    }
    meters.clear();
  }

  /** The gateways probed through connections of their own, oldest first. */
  synchronized List<GatewayAddress> ownGateways() {
    return List.copyOf(own.keySet());
  }
}
