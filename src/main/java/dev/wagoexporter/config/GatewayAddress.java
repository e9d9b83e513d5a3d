package dev.wagoexporter.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a gateway listens: the one value that identifies a gateway's connection, used as the map
 * key wherever connections are shared (config, pollers, {@code /probe}) and formatted in one place.
 * Two spellings of one gateway ({@code [::1]} and {@code ::1}, {@code GW.lan} and {@code gw.lan})
 * are equal, so a probe of a configured gateway finds its connection instead of opening a second
 * one: two masters on one RS485 line garble each other's replies.
 */
public record GatewayAddress(String host, int port) {
  private static final String EXAMPLE = "192.168.2.10:502";

  public GatewayAddress {
    Objects.requireNonNull(host, "host");
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
        "use the gateway's port from 1 to 65535: often 502 in Modbus TCP mode, 4196 in Waveshare"
            + " transparent mode");
  }

  /** Reads {@code HOST:PORT} as given to {@code --gateway} or {@code /probe?target=}. */
  public static GatewayAddress parse(String text) {
    HostPort parsed = HostPort.parse(text, EXAMPLE, false);
    return new GatewayAddress(parsed.host(), parsed.port());
  }

  /** {@code host:port}, an IPv6 host in brackets, so that the text parses back. */
  @Override
  public String toString() {
    return HostPort.format(host, port);
  }
}
