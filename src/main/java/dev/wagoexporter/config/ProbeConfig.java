package dev.wagoexporter.config;

import java.util.List;
import java.util.Objects;

/**
 * What {@code /probe} may read: the configured gateways always, other targets only when {@code
 * probe.allowed_targets} lists them, so that the exporter is not a port scanner for anyone on the
 * LAN. Read from the config file's {@code probe: {allowed_targets: [...]}}.
 *
 * @param allowedTargets hosts, host:port pairs and CIDR ranges beyond the configured gateways
 */
public record ProbeConfig(List<ProbeTargetPattern> allowedTargets) {
  /** Configured gateways only: the default, and what runs without a config file. */
  public static final ProbeConfig CONFIGURED_ONLY = new ProbeConfig(List.of());

  static final List<String> KEYS = List.of("allowed_targets");

  public ProbeConfig {
    allowedTargets = List.copyOf(Objects.requireNonNull(allowedTargets, "allowedTargets"));
  }

  /** Whether a target outside the configured gateways is allowed, e.g. {@code gw2.lan:502}. */
  public boolean allows(GatewayAddress target) {
    return allowedTargets.stream().anyMatch(p -> p.matches(target));
  }

  static ProbeConfig read(YamlMapping yaml) throws ConfigException {
    yaml.allowOnly(KEYS);
    return new ProbeConfig(
        yaml.parsedList(
            "allowed_targets",
            "list hosts, HOST:PORT or CIDR ranges, e.g. allowed_targets: [\"192.168.2.0/24\","
                + " \"gw2.lan:502\"]",
            ProbeTargetPattern::parse));
  }
}
