package dev.wagoexporter.poll;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.Profile;
import java.time.Duration;
import java.util.Objects;

/**
 * One meter named by a {@code /probe} request: which gateway, which unit on its bus, how to decode
 * it, and the {@code meter} label its samples carry.
 *
 * @param gateway the gateway, the key its shared connection is found by
 */
public record ProbeTarget(
    GatewayAddress gateway,
    Framing framing,
    int unitId,
    Profile profile,
    String meterName,
    Duration timeout) {
  public ProbeTarget {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(meterName, "meterName");
    Objects.requireNonNull(timeout, "timeout");
  }
}
