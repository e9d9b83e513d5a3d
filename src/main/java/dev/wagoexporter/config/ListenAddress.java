package dev.wagoexporter.config;

import java.util.Objects;

/**
 * Where the HTTP server listens. An empty host means all interfaces. The default port 9100 is the
 * old exporter's, and also node_exporter's: run both on one machine and one of them needs another
 * port.
 */
public record ListenAddress(String host, int port) {
  public static final ListenAddress DEFAULT = new ListenAddress("", 9100);

  public ListenAddress {
    Objects.requireNonNull(host, "host");
    HostPort.checkPort(port, "use a TCP port from 1 to 65535, e.g. :9100");
  }

  /** Parses {@code :9100} (all interfaces), {@code 127.0.0.1:9100} or {@code [::1]:9100}. */
  public static ListenAddress parse(String text) {
    HostPort parsed = HostPort.parse(text, ":9100", true);
    return new ListenAddress(parsed.host(), parsed.port());
  }

  public boolean allInterfaces() {
    return host.isEmpty();
  }

  /** The address as it is written in flags and config files; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return allInterfaces() ? ":" + port : HostPort.format(host, port);
  }
}
