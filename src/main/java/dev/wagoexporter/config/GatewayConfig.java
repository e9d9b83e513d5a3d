package dev.wagoexporter.config;

import dev.wagoexporter.modbus.Framing;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The RS485-to-Ethernet gateway a meter is wired to. Meters with the same host and port share one
 * TCP connection, so framing and request pause describe the bus, not the meter.
 *
 * @param requestPause quiet time between two requests on this bus, for gateways or meters that need
 *     it
 */
public record GatewayConfig(String host, int port, Framing framing, Duration requestPause) {
  public static final Framing DEFAULT_FRAMING = Framing.TCP;
  public static final Duration DEFAULT_REQUEST_PAUSE = Duration.ZERO;

  static final List<String> KEYS = List.of("host", "port", "framing", "request_pause");
  private static final String EXAMPLE = "192.168.2.10:502";

  public GatewayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(requestPause, "requestPause");
    // Host names and IPv6 literals are case-insensitive; one spelling lets equal gateways compare
    // equal.
    host = host.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new InvalidSettingException(
          "host",
          "gateway host is empty",
          "give the gateway's IP address or name, e.g. host: 192.168.2.10");
    }
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
      throw new InvalidSettingException(
          "host",
          "'" + host + "' is not a host name or IP address",
          "give only the address, e.g. host: 192.168.2.10");
    }
    if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      throw new InvalidSettingException(
          "host",
          "host '" + host + "' contains a port",
          "put the port in its own key: port: " + host.substring(host.indexOf(':') + 1));
    }
    HostPort.checkPort(
        port,
        "use the gateway's port from 1 to 65535: often 502 in Modbus TCP mode, 4196 in Waveshare transparent mode");
    if (requestPause.isNegative()) {
      throw new InvalidSettingException(
          "request_pause", "request_pause is negative", "use 0ms for no pause, or e.g. 50ms");
    }
  }

  /**
   * Reads {@code HOST:PORT} from the {@code --gateway} flag, with the default framing and no
   * request pause.
   */
  public static GatewayConfig parseHostPort(String text) {
    HostPort parsed = HostPort.parse(text, EXAMPLE, false);
    return new GatewayConfig(parsed.host(), parsed.port(), DEFAULT_FRAMING, DEFAULT_REQUEST_PAUSE);
  }

  public GatewayConfig withFraming(Framing newFraming) {
    return new GatewayConfig(host, port, newFraming, requestPause);
  }

  /**
   * {@code host:port}, IPv6 in brackets: what identifies the gateway's connection in logs and
   * errors.
   */
  public String address() {
    return HostPort.format(host, port);
  }

  /** True when both describe the same TCP endpoint and therefore share one connection. */
  public boolean sameEndpoint(GatewayConfig other) {
    return host.equals(other.host) && port == other.port;
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
