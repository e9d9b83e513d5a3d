package dev.wagoexporter.config;

import dev.wagoexporter.modbus.Framing;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The RS485-to-Ethernet gateway a meter is wired to. Meters with the same host and port share one
 * TCP connection, so framing and request pause describe the bus, not the meter.
 *
 * @param requestPause quiet time between two requests on this bus, for gateways or meters that need
 *     it
 */
public record GatewayConfig(GatewayAddress address, Framing framing, Duration requestPause)
    implements BusConfig {
  public static final Framing DEFAULT_FRAMING = Framing.TCP;
  public static final Duration DEFAULT_REQUEST_PAUSE = Duration.ZERO;

  static final List<String> KEYS = List.of("host", "port", "framing", "request_pause", "proxy");

  public GatewayConfig {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(requestPause, "requestPause");
    if (requestPause.isNegative()) {
      throw new InvalidSettingException(
          "request_pause", "request_pause is negative", "use 0ms for no pause, or e.g. 50ms");
    }
  }

  public GatewayConfig(String host, int port, Framing framing, Duration requestPause) {
    this(new GatewayAddress(host, port), framing, requestPause);
  }

  /**
   * Reads {@code HOST:PORT} from the {@code --gateway} flag, with the default framing and no
   * request pause.
   */
  public static GatewayConfig parseHostPort(String text) {
    return new GatewayConfig(GatewayAddress.parse(text), DEFAULT_FRAMING, DEFAULT_REQUEST_PAUSE);
  }

  @Override
  public String key() {
    return "gateway";
  }

  public GatewayConfig withFraming(Framing newFraming) {
    return new GatewayConfig(address, newFraming, requestPause);
  }

  static GatewayConfig read(YamlMapping yaml) throws ConfigException {
    yaml.allowOnly(KEYS);
    String host =
        yaml.requiredString(
            "host", "give the gateway's IP address or name, e.g. host: 192.168.2.10");
    int port = yaml.requiredInteger("port", "give the gateway's Modbus TCP port, e.g. port: 502");
    Framing framing = yaml.parsed("framing", DEFAULT_FRAMING, Framing::parse);
    Duration requestPause = yaml.parsed("request_pause", DEFAULT_REQUEST_PAUSE, Durations::parse);
    return yaml.build(() -> new GatewayConfig(host, port, framing, requestPause));
  }
}
