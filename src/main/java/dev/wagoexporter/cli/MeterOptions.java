package dev.wagoexporter.cli;

import dev.wagoexporter.config.BusAddress;
import dev.wagoexporter.config.BusConfig;
import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.ConfigLoader;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.InvalidSettingException;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.config.WebConfigLoader;
import dev.wagoexporter.profile.ProfileLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags that describe one meter and where to serve its metrics, shared by {@code run} and
 * {@code demo}. Every flag has an environment variable (for Compose); a config file describes
 * several meters instead.
 */
final class MeterOptions {
  /** The command these options are mixed into, to tell a flag from its environment variable. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:WAGO_CONFIG}",
      description =
          "YAML config file with one or more meters (env WAGO_CONFIG). Replaces the meter flags.")
  @Nullable Path config;

  @Option(
      names = "--unit-id",
      paramLabel = "N",
      defaultValue = "${env:WAGO_UNIT_ID:-1}",
      converter = Converters.UnitIdConverter.class,
      description =
          "Modbus unit id (slave address) of the meter; WAGO factory default 1 (env WAGO_UNIT_ID)")
  int unitId;

  @Option(
      names = "--meter-name",
      paramLabel = "NAME",
      defaultValue = "${env:WAGO_METER_NAME:-main}",
      description = "value of the meter label (env WAGO_METER_NAME, default ${DEFAULT-VALUE})")
  String meterName;

  @Option(
      names = "--profile",
      paramLabel = "NAME|FILE",
      defaultValue = "${env:WAGO_PROFILE:-wago-879-30xx}",
      converter = Converters.ProfileConverter.class,
      description =
          "register map: a built-in name or a profile file (env WAGO_PROFILE, default ${DEFAULT-VALUE})")
  String profile;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "${env:WAGO_POLL_INTERVAL:-30s}",
      converter = Converters.DurationConverter.class,
      description =
          "time between polls, e.g. 30s (env WAGO_POLL_INTERVAL, default ${DEFAULT-VALUE})")
  Duration pollInterval;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:WAGO_TIMEOUT}",
      converter = Converters.DurationConverter.class,
      description =
          "reply timeout of one request (env WAGO_TIMEOUT, default 2s, or half the poll interval if shorter)")
  @Nullable Duration timeout;

  @Option(
      names = {"--listen", "--web.listen-address"},
      paramLabel = "[HOST]:PORT",
      defaultValue = "${env:WAGO_LISTEN}",
      converter = Converters.ListenConverter.class,
      description =
          "where to serve /metrics (env WAGO_LISTEN). Default: port 9100 on all interfaces,"
              + " the old exporter's port; node_exporter defaults to it too")
  @Nullable ListenAddress listen;

  @Option(
      names = "--proxy.listen-address",
      paramLabel = "[HOST]:PORT",
      defaultValue = "${env:WAGO_PROXY_LISTEN_ADDRESS}",
      converter = Converters.OptionalListenConverter.class,
      description =
          "serve a Modbus TCP server there for the other programs on the meter's line: the"
              + " exporter becomes the line's one master (env WAGO_PROXY_LISTEN_ADDRESS; off by"
              + " default)")
  @Nullable ListenAddress proxyListen;

  @Option(
      names = "--proxy.units",
      paramLabel = "ID[,ID...]",
      defaultValue = "${env:WAGO_PROXY_UNITS}",
      description =
          "other devices on the line whose reads the proxy forwards (env WAGO_PROXY_UNITS)")
  @Nullable String proxyUnits;

  @Option(
      names = "--proxy.writable-units",
      paramLabel = "ID[,ID...]",
      defaultValue = "${env:WAGO_PROXY_WRITABLE_UNITS}",
      description =
          "devices that proxy clients may write to; never a meter (env WAGO_PROXY_WRITABLE_UNITS)")
  @Nullable String proxyWritableUnits;

  @Option(
      names = "--legacy-metrics",
      paramLabel = "true|false",
      defaultValue = "${env:WAGO_LEGACY_METRICS}",
      arity = "0..1",
      fallbackValue = "true",
      description = "also serve the old Python exporter's series (env WAGO_LEGACY_METRICS)")
  @Nullable Boolean legacyMetrics;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      defaultValue = "${env:WAGO_WEB_CONFIG_FILE}",
      description =
          "TLS and basic auth (docs/security.md) in the web config format that"
              + " Prometheus exporters share (env WAGO_WEB_CONFIG_FILE)")
  @Nullable Path webConfigFile;

  @Option(
      names = "--status.prometheus-url",
      paramLabel = "URL",
      defaultValue = "${env:WAGO_STATUS_PROMETHEUS_URL}",
      converter = Converters.StatusPrometheusUrlConverter.class,
      description =
          "Prometheus as the exporter reaches it: the status page shows yesterday and this month"
              + " from it (env WAGO_STATUS_PROMETHEUS_URL; unset: \"unavailable\")")
  @Nullable URI statusPrometheusUrl;

  @Option(
      names = "--status.grafana-url",
      paramLabel = "URL",
      defaultValue = "${env:WAGO_STATUS_GRAFANA_URL}",
      converter = Converters.StatusGrafanaUrlConverter.class,
      description =
          "Grafana as the user's browser reaches it, linked from the status page (env"
              + " WAGO_STATUS_GRAFANA_URL)")
  @Nullable URI statusGrafanaUrl;

  @Option(
      names = "--status.fuse-amps",
      paramLabel = "AMPERES",
      defaultValue = "${env:WAGO_STATUS_FUSE_AMPS}",
      converter = Converters.FuseAmpsConverter.class,
      description =
          "each phase's main fuse, e.g. 35 for 3x35 A: the status page shows each phase's load"
              + " against it (env WAGO_STATUS_FUSE_AMPS)")
  @Nullable Double statusFuseAmps;

  @Option(
      names = "--status.price",
      paramLabel = "PER_KWH",
      defaultValue = "${env:WAGO_STATUS_PRICE}",
      converter = Converters.StatusPriceConverter.class,
      description =
          "price per kWh imported, as report --price: the status page shows the cost (env"
              + " WAGO_STATUS_PRICE)")
  @Nullable Double statusPrice;

  @Option(
      names = "--status.tz",
      paramLabel = "ZONE",
      defaultValue = "${env:WAGO_STATUS_TZ}",
      converter = Converters.ZoneConverter.class,
      description =
          "time zone of the status page's today, yesterday and this month, e.g. Europe/Vienna"
              + " (env WAGO_STATUS_TZ; default: this machine's)")
  @Nullable ZoneId statusZone;

  /** The status page's settings given by flags (or their variables); a field without: not given. */
  StatusConfig statusFlags() {
    return new StatusConfig(
        statusPrometheusUrl, statusGrafanaUrl, statusFuseAmps, statusPrice, statusZone);
  }

  /**
   * The configuration these flags (or the config file they name) describe, for a meter on {@code
   * bus} (a gateway or a serial device).
   */
  ExporterConfig resolve(@Nullable BusConfig bus) throws ConfigException {
    WebConfig web = webConfigFile == null ? WebConfig.NONE : WebConfigLoader.load(webConfigFile);
    ExporterConfig meters = meters(bus);
    return withProxyFlags(
        meters.withWeb(web).withStatus(meters.status().overriddenBy(statusFlags())), bus);
  }

  /**
   * The proxy flags over the config: each given flag overrides its own field of the line's proxy
   * (from the file, or new), the others keep theirs. A config file of several lines takes its
   * proxies from the file only: the flags could not say which line they mean.
   */
  private ExporterConfig withProxyFlags(ExporterConfig config, @Nullable BusConfig bus)
      throws ConfigException {
    Set<Integer> units = units("--proxy.units", proxyUnits);
    Set<Integer> writable = units("--proxy.writable-units", proxyWritableUnits);
    boolean unitsGiven = proxyUnits != null && !proxyUnits.isBlank();
    boolean writableGiven = proxyWritableUnits != null && !proxyWritableUnits.isBlank();
    if (proxyListen == null && !unitsGiven && !writableGiven) {
      return config;
    }
    Set<BusAddress> lines =
        config.metersByBus().keySet().stream()
            .map(BusConfig::address)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    BusAddress line = this.config == null && bus != null ? bus.address() : null;
    if (line == null) {
      if (lines.size() != 1) {
        throw new ConfigException(
            "--proxy.* flags (env WAGO_PROXY_*) serve one line, and the config file has "
                + lines.size()
                + " ("
                + lines.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "): give proxy: {listen_address, units, writable_units} on the line in the file"
                + " instead");
      }
      line = lines.iterator().next();
    }
    ProxyConfig fromFile = config.proxies().get(line);
    ListenAddress listenAddress =
        proxyListen != null ? proxyListen : fromFile != null ? fromFile.listen() : null;
    if (listenAddress == null) {
      throw new ConfigException(
          "--proxy.units and --proxy.writable-units need --proxy.listen-address (env"
              + " WAGO_PROXY_LISTEN_ADDRESS), e.g. --proxy.listen-address :5020");
    }
    try {
      return config.withProxy(
          line,
          new ProxyConfig(
              listenAddress,
              unitsGiven ? units : fromFile != null ? fromFile.units() : Set.of(),
              writableGiven ? writable : fromFile != null ? fromFile.writableUnits() : Set.of()));
    } catch (InvalidSettingException e) {
      throw new ConfigException("--" + e.key().replace('_', '-') + ": " + e.getMessage());
    }
  }

  /** A comma list of unit ids; blank is none (Compose passes unset variables as ""). */
  private static Set<Integer> units(String flag, @Nullable String list) throws ConfigException {
    Set<Integer> units = new TreeSet<>();
    if (list == null || list.isBlank()) {
      return units;
    }
    for (String unit : list.split(",", -1)) {
      try {
        units.add(UnitIds.parse(flag, unit));
      } catch (InvalidSettingException e) {
        throw new ConfigException(flag + ": " + e.getMessage());
      }
    }
    return units;
  }

  private ExporterConfig meters(@Nullable BusConfig gateway) throws ConfigException {
    if (config != null) {
      // Flags override single fields of the file's config; every other key of the file
      // (probe.allowed_targets among them) stays as written.
      ExporterConfig fromFile = ConfigLoader.load(config, ProfileLoader.builtInNames());
      if (listen != null) {
        fromFile = fromFile.withListen(listen);
      }
      if (legacyMetrics != null) {
        fromFile = fromFile.withLegacyMetrics(legacyMetrics);
      }
      return fromFile;
    }
    if (gateway == null) {
      throw new ConfigException(
          "no meter to poll: give --gateway HOST:PORT (env WAGO_GATEWAY), e.g. --gateway "
              + "192.168.2.10:502, or --serial DEVICE (env WAGO_SERIAL) for a USB RS485 stick, e.g."
              + " --serial /dev/ttyUSB0, or --config FILE (env WAGO_CONFIG)");
    }
    try {
      Duration halfInterval = pollInterval.dividedBy(2);
      Duration effectiveTimeout =
          timeout != null ? timeout : Durations.min(MeterConfig.DEFAULT_TIMEOUT, halfInterval);
      MeterConfig meter =
          new MeterConfig(
              meterName,
              profile,
              gateway,
              unitId,
              pollInterval,
              effectiveTimeout,
              MeterConfig.DEFAULT_MAX_REGISTERS_PER_REQUEST);
      return new ExporterConfig(
          listen != null ? listen : ListenAddress.DEFAULT,
          legacyMetrics != null && legacyMetrics,
          List.of(meter));
    } catch (InvalidSettingException e) {
      // the config file's key "name" is the flag --meter-name (a bare --name would be ambiguous)
      String flag = "--" + ("name".equals(e.key()) ? "meter-name" : e.key().replace('_', '-'));
      OptionSpec option = spec == null ? null : spec.findOption(flag);
      String variable =
          option == null
              ? null
              : FlagErrors.variableBehind(
                  option,
                  spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
      throw new ConfigException(
          (variable != null ? variable + "=" + System.getenv(variable) : flag)
              + ": "
              + e.getMessage());
    }
  }
}
