package dev.wagoexporter.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the exporter needs to start: where and how to serve metrics and which meters to poll.
 *
 * @param web TLS and basic auth of the HTTP server, from {@code --web.config.file}; {@link
 *     WebConfig#NONE} without it
 * @param probe what {@code /probe} may read beyond the configured gateways
 * @param proxies the Modbus TCP servers of the lines that offer one, by line
 * @param status what the household's status page shows beyond the meters
 */
public record ExporterConfig(
    ListenAddress listen,
    boolean legacyMetrics,
    List<MeterConfig> meters,
    WebConfig web,
    ProbeConfig probe,
    Map<BusAddress, ProxyConfig> proxies,
    StatusConfig status) {
  public static final ListenAddress DEFAULT_LISTEN = ListenAddress.DEFAULT;
  public static final boolean DEFAULT_LEGACY_METRICS = false;

  static final List<String> KEYS = List.of("listen", "legacy_metrics", "meters", "probe", "status");

  public ExporterConfig(
      ListenAddress listen,
      boolean legacyMetrics,
      List<MeterConfig> meters,
      WebConfig web,
      ProbeConfig probe,
      Map<BusAddress, ProxyConfig> proxies) {
    this(listen, legacyMetrics, meters, web, probe, proxies, StatusConfig.NONE);
  }

  public ExporterConfig(ListenAddress listen, boolean legacyMetrics, List<MeterConfig> meters) {
    this(listen, legacyMetrics, meters, WebConfig.NONE, ProbeConfig.CONFIGURED_ONLY);
  }

  public ExporterConfig(
      ListenAddress listen,
      boolean legacyMetrics,
      List<MeterConfig> meters,
      WebConfig web,
      ProbeConfig probe) {
    this(listen, legacyMetrics, meters, web, probe, Map.of());
  }

  public ExporterConfig(
      ListenAddress listen, boolean legacyMetrics, List<MeterConfig> meters, WebConfig web) {
    this(listen, legacyMetrics, meters, web, ProbeConfig.CONFIGURED_ONLY);
  }

  public ExporterConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(status, "status");
    meters = List.copyOf(meters);
    proxies = Map.copyOf(proxies);
    if (meters.isEmpty()) {
      throw new InvalidSettingException(
          "meters",
          "no meters configured",
          "list at least one meter under meters:, each with a gateway or serial device; see config.example.yml");
    }
    for (int i = 0; i < meters.size(); i++) {
      checkAgainstEarlierMeters(meters, i);
    }
    for (MeterConfig meter : meters) {
      ProxyConfig proxy = proxies.get(meter.bus().address());
      if (proxy != null && proxy.writableUnits().contains(meter.unitId())) {
        throw new InvalidSettingException(
            "proxy.writable_units",
            ProxyConfig.meterNeverWritable(meter.unitId(), meter.name()),
            "remove " + meter.unitId() + " from the proxy's writable units");
      }
    }
  }

  /** This config with a Modbus TCP server on the line at {@code line}. */
  public ExporterConfig withProxy(BusAddress line, ProxyConfig proxy) {
    Map<BusAddress, ProxyConfig> all = new LinkedHashMap<>(proxies);
    all.put(line, proxy);
    return new ExporterConfig(listen, legacyMetrics, meters, web, probe, all, status);
  }

  public ExporterConfig withWeb(WebConfig newWeb) {
    return new ExporterConfig(listen, legacyMetrics, meters, newWeb, probe, proxies, status);
  }

  /** This config served on {@code newListen} (a flag given beside {@code --config}). */
  public ExporterConfig withListen(ListenAddress newListen) {
    return new ExporterConfig(newListen, legacyMetrics, meters, web, probe, proxies, status);
  }

  /** This config with the old exporter's series on or off (a flag given beside the config). */
  public ExporterConfig withLegacyMetrics(boolean newLegacyMetrics) {
    return new ExporterConfig(listen, newLegacyMetrics, meters, web, probe, proxies, status);
  }

  /** This config with the status page's settings {@code newStatus}. */
  public ExporterConfig withStatus(StatusConfig newStatus) {
    return new ExporterConfig(listen, legacyMetrics, meters, web, probe, proxies, newStatus);
  }

  /**
   * The meters grouped by the bus connection (gateway or serial device) that reads them, in config
   * order. Meters on one bus have equal {@link BusConfig}s: the constructor rejects meters that
   * share a gateway address or serial device but disagree about the bus.
   */
  public Map<BusConfig, List<MeterConfig>> metersByBus() {
    Map<BusConfig, List<MeterConfig>> byBus = new LinkedHashMap<>();
    for (MeterConfig meter : meters) {
      byBus.computeIfAbsent(meter.bus(), g -> new ArrayList<>()).add(meter);
    }
    byBus.replaceAll((bus, list) -> List.copyOf(list));
    return Collections.unmodifiableMap(byBus);
  }

  private static void checkAgainstEarlierMeters(List<MeterConfig> meters, int index) {
    MeterConfig meter = meters.get(index);
    BusConfig bus = meter.bus();
    String at = "meters[" + index + "].";
    for (int j = 0; j < index; j++) {
      MeterConfig earlier = meters.get(j);
      String earlierRef = "meter '" + earlier.name() + "' at meters[" + j + "]";
      if (earlier.name().equals(meter.name())) {
        throw new InvalidSettingException(
            at + "name",
            "meter name '" + meter.name() + "' is already used by meters[" + j + "]",
            "give every meter its own name; it becomes the meter label");
      }
      if (!earlier.bus().address().equals(bus.address())) {
        continue;
      }
      if (bus instanceof GatewayConfig gateway && earlier.bus() instanceof GatewayConfig other) {
        checkSameGateway(at, gateway, other, earlierRef);
      }
      if (bus instanceof SerialConfig serial && earlier.bus() instanceof SerialConfig other) {
        checkSameSerialLine(at, serial, other, earlierRef);
      }
      if (!earlier.bus().requestPause().equals(bus.requestPause())) {
        throw new InvalidSettingException(
            at + bus.key() + ".request_pause",
            "request_pause "
                + Durations.format(bus.requestPause())
                + " differs from "
                + Durations.format(earlier.bus().requestPause())
                + " of "
                + earlierRef
                + " on the same "
                + bus.describe(),
            "the pause applies to the whole bus; give every meter on this "
                + bus.key()
                + " the same request_pause");
      }
      if (earlier.unitId() == meter.unitId()) {
        throw new InvalidSettingException(
            at + "unit_id",
            "unit id "
                + meter.unitId()
                + " on "
                + bus.describe()
                + " is already used by "
                + earlierRef,
            "every meter on one RS485 bus needs its own Modbus address; check the address set on the meter");
      }
    }
  }

  private static void checkSameGateway(
      String at, GatewayConfig gateway, GatewayConfig earlier, String earlierRef) {
    if (earlier.framing() != gateway.framing()) {
      throw new InvalidSettingException(
          at + "gateway.framing",
          "framing "
              + gateway.framing()
              + " differs from "
              + earlier.framing()
              + " of "
              + earlierRef
              + " on the same gateway "
              + gateway.address(),
          "meters on one gateway share one connection; give them the same framing");
    }
  }

  /** One device is one line: every meter on it talks at the same speed and parity. */
  private static void checkSameSerialLine(
      String at, SerialConfig serial, SerialConfig earlier, String earlierRef) {
    if (serial.baud() == earlier.baud()
        && serial.parity() == earlier.parity()
        && serial.stopBits() == earlier.stopBits()) {
      return;
    }
    String key =
        serial.baud() != earlier.baud()
            ? "baud"
            : serial.parity() != earlier.parity() ? "parity" : "stop_bits";
    throw new InvalidSettingException(
        at + "serial." + key,
        "line settings "
            + serial.lineSettings()
            + " differ from "
            + earlier.lineSettings()
            + " of "
            + earlierRef
            + " on the same serial device "
            + serial.device(),
        "meters on one RS485 line share its speed and parity; give every meter on this device"
            + " the same baud, parity and stop_bits, as set on the meters");
  }

  static ExporterConfig read(YamlMapping yaml, ProfileLocator profiles) throws ConfigException {
    yaml.allowOnly(KEYS);
    ListenAddress listen = yaml.parsed("listen", DEFAULT_LISTEN, ListenAddress::parse);
    boolean legacyMetrics = yaml.bool("legacy_metrics", DEFAULT_LEGACY_METRICS);
    List<MeterConfig> meters = new ArrayList<>();
    List<YamlMapping> entries = yaml.mappings("meters");
    for (YamlMapping meter : entries) {
      meters.add(MeterConfig.read(meter, profiles));
    }
    ProbeConfig probe = ProbeConfig.CONFIGURED_ONLY;
    var probeMapping =
        yaml.optionalMapping(
            "probe",
            "give allowed_targets under it, e.g. probe: {allowed_targets: [\"192.168.2.0/24\"]}");
    if (probeMapping.isPresent()) {
      probe = ProbeConfig.read(probeMapping.get());
    }
    ProbeConfig probeConfig = probe;
    StatusConfig status = StatusConfig.NONE;
    var statusMapping =
        yaml.optionalMapping(
            "status",
            "give the status page's settings under it, e.g. status: {fuse_amps: 35, price: 0.32}");
    if (statusMapping.isPresent()) {
      status = StatusConfig.read(statusMapping.get());
    }
    StatusConfig statusConfig = status;
    Map<BusAddress, ProxyConfig> proxies = LineProxies.read(yaml, entries, meters);
    return yaml.build(
        () ->
            new ExporterConfig(
                listen, legacyMetrics, meters, WebConfig.NONE, probeConfig, proxies, statusConfig));
  }
}
