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
 */
public record ExporterConfig(
    ListenAddress listen,
    boolean legacyMetrics,
    List<MeterConfig> meters,
    WebConfig web,
    ProbeConfig probe) {
  public static final ListenAddress DEFAULT_LISTEN = ListenAddress.DEFAULT;
  public static final boolean DEFAULT_LEGACY_METRICS = false;

  static final List<String> KEYS = List.of("listen", "legacy_metrics", "meters", "probe");

  public ExporterConfig(ListenAddress listen, boolean legacyMetrics, List<MeterConfig> meters) {
    this(listen, legacyMetrics, meters, WebConfig.NONE, ProbeConfig.CONFIGURED_ONLY);
  }

  public ExporterConfig(
      ListenAddress listen, boolean legacyMetrics, List<MeterConfig> meters, WebConfig web) {
    this(listen, legacyMetrics, meters, web, ProbeConfig.CONFIGURED_ONLY);
  }

  public ExporterConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(probe, "probe");
    meters = List.copyOf(meters);
    if (meters.isEmpty()) {
      throw new InvalidSettingException(
          "meters",
          "no meters configured",
          "list at least one meter under meters:, each with a gateway; see config.example.yml");
    }
    for (int i = 0; i < meters.size(); i++) {
      checkAgainstEarlierMeters(meters, i);
    }
  }

  public ExporterConfig withWeb(WebConfig newWeb) {
    return new ExporterConfig(listen, legacyMetrics, meters, newWeb, probe);
  }

  /**
   * The meters grouped by the gateway connection that reads them, in config order. Meters on one
   * gateway have equal {@link GatewayConfig}s: the constructor rejects meters that share a host and
   * port but disagree about the bus.
   */
  public Map<GatewayConfig, List<MeterConfig>> metersByGateway() {
    Map<GatewayConfig, List<MeterConfig>> byGateway = new LinkedHashMap<>();
    for (MeterConfig meter : meters) {
      byGateway.computeIfAbsent(meter.gateway(), g -> new ArrayList<>()).add(meter);
    }
    byGateway.replaceAll((gateway, list) -> List.copyOf(list));
    return Collections.unmodifiableMap(byGateway);
  }

  private static void checkAgainstEarlierMeters(List<MeterConfig> meters, int index) {
    MeterConfig meter = meters.get(index);
    GatewayConfig gateway = meter.gateway();
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
      if (!earlier.gateway().address().equals(gateway.address())) {
        continue;
      }
      if (earlier.gateway().framing() != gateway.framing()) {
        throw new InvalidSettingException(
            at + "gateway.framing",
            "framing "
                + gateway.framing()
                + " differs from "
                + earlier.gateway().framing()
                + " of "
                + earlierRef
                + " on the same gateway "
                + gateway.address(),
            "meters on one gateway share one connection; give them the same framing");
      }
      if (!earlier.gateway().requestPause().equals(gateway.requestPause())) {
        throw new InvalidSettingException(
            at + "gateway.request_pause",
            "request_pause "
                + Durations.format(gateway.requestPause())
                + " differs from "
                + Durations.format(earlier.gateway().requestPause())
                + " of "
                + earlierRef
                + " on the same gateway "
                + gateway.address(),
            "the pause applies to the whole bus; give every meter on this gateway the same request_pause");
      }
      if (earlier.unitId() == meter.unitId()) {
        throw new InvalidSettingException(
            at + "unit_id",
            "unit id "
                + meter.unitId()
                + " on gateway "
                + gateway.address()
                + " is already used by "
                + earlierRef,
            "every meter on one RS485 bus needs its own Modbus address; check the address set on the meter");
      }
    }
  }

  static ExporterConfig read(YamlMapping yaml, ProfileLocator profiles) throws ConfigException {
    yaml.allowOnly(KEYS);
    ListenAddress listen = yaml.parsed("listen", DEFAULT_LISTEN, ListenAddress::parse);
    boolean legacyMetrics = yaml.bool("legacy_metrics", DEFAULT_LEGACY_METRICS);
    List<MeterConfig> meters = new ArrayList<>();
    for (YamlMapping meter : yaml.mappings("meters")) {
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
    return yaml.build(
        () -> new ExporterConfig(listen, legacyMetrics, meters, WebConfig.NONE, probeConfig));
  }
}
