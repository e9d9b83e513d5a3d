package dev.wagoexporter.cli;

import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.http.ExporterHttpServer;
import dev.wagoexporter.http.ProbeEndpoint;
import dev.wagoexporter.http.Routes;
import dev.wagoexporter.metrics.JoinedCollectors;
import dev.wagoexporter.metrics.MeterCollector;
import dev.wagoexporter.metrics.ProxyCollector;
import dev.wagoexporter.metrics.VersionedCollector;
import dev.wagoexporter.metrics.WithProcessMetrics;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.poll.BusTurns;
import dev.wagoexporter.poll.GatewayPoller;
import dev.wagoexporter.poll.MeterPoller;
import dev.wagoexporter.poll.MeterProbes;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileException;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.proxy.ModbusProxy;
import dev.wagoexporter.proxy.SnapshotAnswers;
import dev.wagoexporter.status.HouseholdView;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A running exporter: one poller per bus (gateway or serial device), the meters' states, and the
 * HTTP server that serves them.
 */
public final class Exporter implements AutoCloseable {
  /**
   * Reconnect attempts back off up to this, or up to the shortest poll interval on the gateway if
   * shorter.
   */
  private static final Duration MAX_RECONNECT_BACKOFF = Duration.ofSeconds(30);

  private final List<GatewayPoller> gateways;
  private final List<MeterState> meters;
  private final ExporterHttpServer http;
  private final ProbeEndpoint probeHandler;
  private final MeterProbes probes;
  private final List<ModbusProxy> proxies;
  private final HouseholdView household;

  private Exporter(
      List<GatewayPoller> gateways,
      List<MeterState> meters,
      ExporterHttpServer http,
      ProbeEndpoint probeHandler,
      MeterProbes probes,
      List<ModbusProxy> proxies,
      HouseholdView household) {
    this.gateways = gateways;
    this.meters = meters;
    this.http = http;
    this.probeHandler = probeHandler;
    this.probes = probes;
    this.proxies = proxies;
    this.household = household;
  }

  /**
   * Loads the profiles, starts the HTTP server, then polling. A gateway that is down is not an
   * error here.
   */
  public static Exporter start(ExporterConfig config, TimeSource time)
      throws IOException, ProfileException {
    Map<String, Profile> profiles = new HashMap<>();
    for (MeterConfig m : config.meters()) {
      if (!profiles.containsKey(m.profile())) {
        profiles.put(m.profile(), ProfileLoader.load(m.profile()));
      }
    }
    List<GatewayPoller> gateways = new ArrayList<>();
    List<ModbusProxy> proxies = new ArrayList<>();
    List<MeterState> meters = new ArrayList<>();
    Map<GatewayAddress, MeterProbes.SharedGateway> probeGateways = new HashMap<>();
    for (Map.Entry<BusConfig, List<MeterConfig>> entry : config.metersByBus().entrySet()) {
      BusConfig bus = entry.getKey();
      Duration shortestInterval =
          entry.getValue().stream()
              .map(MeterConfig::pollInterval)
              .min(Duration::compareTo)
              .orElseThrow();
      BusConnection connection =
          new BusConnection(
              bus,
              ConnectionPolicy.polling(
                  bus.requestPause(), Durations.min(shortestInterval, MAX_RECONNECT_BACKOFF)),
              time);
      List<MeterPoller> pollers = new ArrayList<>();
      for (MeterConfig m : entry.getValue()) {
        MeterState state =
            new MeterState(
                m.name(),
                Objects.requireNonNull(profiles.get(m.profile()), "loaded above"),
                bus.address().toString(),
                m.unitId(),
                m.pollInterval(),
                m.timeout());
        meters.add(state);
        pollers.add(new MeterPoller(state, connection, m.maxRegistersPerRequest(), time));
      }
      BusTurns turns = new BusTurns(time);
      gateways.add(new GatewayPoller(connection, pollers, turns));
      ProxyConfig proxy = config.proxies().get(bus.address());
      if (proxy != null) {
        Set<Integer> meterUnits =
            entry.getValue().stream().map(MeterConfig::unitId).collect(Collectors.toSet());
        Duration timeout =
            entry.getValue().stream()
                .map(MeterConfig::timeout)
                .min(Duration::compareTo)
                .orElseThrow();
        try {
          proxies.add(
              ModbusProxy.start(
                  proxy, connection, turns, meterUnits, new SnapshotAnswers(pollers), timeout));
        } catch (IOException e) {
          proxies.forEach(ModbusProxy::close);
          throw e;
        }
      }
      if (bus instanceof GatewayConfig g) {
        // /probe reads gateways only; a serial device is read by its poller alone
        Duration shortestTimeout =
            entry.getValue().stream()
                .map(MeterConfig::timeout)
                .min(Duration::compareTo)
                .orElseThrow();
        probeGateways.put(
            g.address(),
            new MeterProbes.SharedGateway(connection, g.framing(), turns, shortestTimeout));
      }
    }
    MeterCollector collector =
        new MeterCollector(meters, config.legacyMetrics(), Version.current(), time);
    MeterProbes probes = new MeterProbes(probeGateways, time);
    ProbeEndpoint probeHandler =
        new ProbeEndpoint(
            probes,
            config.legacyMetrics(),
            time,
            probeGateways.keySet(),
            config.probe(),
            config.listen());
    HouseholdView household = new HouseholdView(config.status(), meters, time.wallClock());
    ExporterHttpServer http;
    try {
      http =
          ExporterHttpServer.start(
              config.listen().host(),
              config.listen().port(),
              config.web(),
              Routes.standard(
                  new WithProcessMetrics(
                      proxies.isEmpty()
                          ? (VersionedCollector) collector
                          : new JoinedCollectors(collector, new ProxyCollector(proxies))),
                  meters,
                  probeHandler,
                  time,
                  household,
                  () -> proxies.stream().map(ModbusProxy::view).toList()));
    } catch (IOException e) {
      household.close();
      probeHandler.close();
      proxies.forEach(ModbusProxy::close);
      throw e;
    }
    gateways.forEach(GatewayPoller::start);
    return new Exporter(
        List.copyOf(gateways),
        List.copyOf(meters),
        http,
        probeHandler,
        probes,
        List.copyOf(proxies),
        household);
  }

  public List<MeterState> meters() {
    return meters;
  }

  public List<GatewayPoller> gateways() {
    return gateways;
  }

  /** The lines' Modbus TCP servers, in config order. */
  public List<ModbusProxy> proxies() {
    return proxies;
  }

  /**
   * The port the HTTP server listens on (the ephemeral one when the config says 0): how tests, in
   * other packages, reach it.
   */
  public int httpPort() {
    return http.port();
  }

  /** {@code http} or {@code https}. */
  public String httpScheme() {
    return http.scheme();
  }

  /**
   * Stops serving and polling within about a second (docs/design.md, "The HTTP front door";
   * Docker's grace is 10 s): sockets are closed first, which makes reads in flight fail at once
   * instead of waiting for their timeouts.
   */
  @Override
  public void close() {
    http.close();
    household.close();
    proxies.forEach(ModbusProxy::close);
    probeHandler.close();
    probes.close();
    gateways.forEach(g -> g.connection().close());
    gateways.forEach(g -> g.close(Duration.ofMillis(300)));
  }
}
