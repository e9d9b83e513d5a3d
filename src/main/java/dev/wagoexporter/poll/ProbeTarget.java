package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.Profile;
import java.time.Duration;
import java.util.Objects;

/**
 * One meter named by a {@code /probe} request: which gateway, which unit on its bus, how to decode
 * it, and the {@code meter} label its samples carry.
 *
 * @param host the gateway host, in the spelling {@code GatewayConfig} normalises to, so equal
 *     gateways compare equal
 */
public record ProbeTarget(
    String host,
    int port,
    Framing framing,
    int unitId,
    Profile profile,
    String meterName,
    Duration timeout) {
  public ProbeTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(meterName, "meterName");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** {@code host:port}, IPv6 in brackets, as {@code GatewayConnection.address()} prints it. */
  public String gatewayAddress() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
