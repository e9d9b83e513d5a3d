package dev.wagoexporter.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code probe.allowed_targets}: a host (any port), {@code HOST:PORT}, or a CIDR range
 * such as {@code 192.168.2.0/24} or {@code fd00::/64} (any port). A range matches the address a
 * target's name resolves to when it is probed, so {@code gw2.lan} is allowed by {@code
 * 192.168.2.0/24} when it resolves into that range.
 *
 * @param host lower-case host name or IP literal; none for a range
 * @param port 0 for any port
 * @param network the range's first address; none for a host
 * @param prefixLength the range's prefix length
 */
@SuppressWarnings("ArrayRecordComponent") // the range's address bytes, never changed after parsing
public record ProbeTargetPattern(
    @Nullable String host, int port, byte @Nullable [] network, int prefixLength) {
  private static final String FIX =
      "give a host (gw2.lan), HOST:PORT (gw2.lan:502, [fd00::5]:502) or a CIDR range"
          + " (192.168.2.0/24)";

  /** Reads one entry; an {@link IllegalArgumentException} says what is wrong and how to fix it. */
  public static ProbeTargetPattern parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty target (" + FIX + ")");
    }
    int slash = t.indexOf('/');
    if (slash >= 0) {
      String addressText = t.substring(0, slash);
      String prefixText = t.substring(slash + 1);
      if (!isIpLiteral(addressText)) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not a CIDR range: '"
                + addressText
                + "' is not an IP address ("
                + FIX
                + ")");
      }
      byte[] network = literal(addressText).getAddress();
      int prefix;
      try {
        prefix = Integer.parseInt(prefixText);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' has prefix length '"
                + prefixText
                + "'; use 0 to "
                + network.length * 8
                + ", e.g. 192.168.2.0/24");
      }
      return new ProbeTargetPattern(null, 0, network, prefix);
    }
    boolean hasPort =
        t.startsWith("[")
            ? t.contains("]:")
            : t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':');
    if (hasPort) {
      GatewayAddress address;
      try {
        address = GatewayAddress.parse(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
      return new ProbeTargetPattern(address.host(), address.port(), null, 0);
    }
    String host = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '[' || c == ']')) {
      throw new IllegalArgumentException("'" + text + "' is not a host (" + FIX + ")");
    }
    return new ProbeTargetPattern(host.toLowerCase(Locale.ROOT), 0, null, 0);
  }

  /**
   * Whether a probe of {@code target} is allowed by this entry. A host entry compares names as
   * written ({@code GatewayAddress} spelling) and IP literals by value.
   */
  public boolean matches(GatewayAddress target) {
    if (port != 0 && port != target.port()) {
      return false;
    }
    if (network == null) {
      // parse gives every entry either a host or a range
      String name = Objects.requireNonNull(host);
      if (name.equals(target.host())) {
        return true;
      }
      return isIpLiteral(name)
          && isIpLiteral(target.host())
          && literal(name).equals(literal(target.host()));
    }

    byte[] address;
    try {
      address = InetAddress.getByName(target.host()).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    if (address.length != network.length) {
      return false;
    }
    int bits = address.length * 8;
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .shiftRight(prefixLength)
            .xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
    return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
  }

  /** An IPv4 or IPv6 literal: these are parsed without a DNS look-up. */
  static boolean isIpLiteral(String s) {
    return s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || (s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.%]+"));
  }

  private static InetAddress literal(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + s + "' is not an IP address (" + FIX + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeTargetPattern p && toString().equals(p.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    if (network != null) {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    String name = Objects.requireNonNull(host); // parse gives an entry without a range a host
    return port == 0 ? name : HostPort.format(name, port);
  }
}
