package dev.wagoexporter.config;

/**
 * The {@code HOST:PORT} text of a flag or an environment variable, split into its parts. IPv6 hosts
 * come in brackets ({@code [::1]:9100}) because their own colons would otherwise make the port
 * ambiguous.
 */
record HostPort(String host, int port) {
  static final int MIN_PORT = 1;
  static final int MAX_PORT = 65535;

  /**
   * @param example a complete valid address to show in error messages
   * @param hostOptional whether {@code :PORT} (all interfaces) is allowed
   */
  static HostPort parse(String text, String example, boolean hostOptional) {
    String trimmed = text.trim();
    String form = hostOptional ? "[HOST]:PORT" : "HOST:PORT";
    String fix = "write " + form + ", e.g. " + example;
    if (trimmed.isEmpty()) {
      throw invalid("address is empty", fix);
    }
    if (trimmed.contains("://") || trimmed.contains("/")) {
      throw invalid("'" + text + "' is not a plain address", "drop any scheme or path and " + fix);
    }
    String host;
    String portText;
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0 || close + 1 >= trimmed.length() || trimmed.charAt(close + 1) != ':') {
        throw invalid(
            "'" + text + "' has no port after the bracketed IPv6 host",
            "write e.g. [::1]:" + portOf(example));
      }
      host = trimmed.substring(1, close);
      portText = trimmed.substring(close + 2);
      if (host.isEmpty()) {
        throw invalid("'" + text + "' has empty brackets", fix);
      }
    } else {
      int colon = trimmed.lastIndexOf(':');
      if (colon < 0) {
        throw invalid("'" + text + "' has no port", fix);
      }
      host = trimmed.substring(0, colon);
      portText = trimmed.substring(colon + 1);
      if (host.contains(":")) {
        throw invalid(
            "'" + text + "' looks like an IPv6 address without brackets",
            "put IPv6 hosts in brackets, e.g. [::1]:" + portOf(example));
      }
    }
    if (host.isEmpty() && !hostOptional) {
      throw invalid("'" + text + "' has no host", fix);
    }
    if (host.chars().anyMatch(Character::isWhitespace)) {
      throw invalid("'" + text + "' contains a space", fix);
    }
    if (!portText.matches("\\d{1,9}")) {
      throw invalid("port '" + portText + "' in '" + text + "' is not a number", fix);
    }
    int port = Integer.parseInt(portText);
    checkPort(port, "use a TCP port from 1 to 65535, e.g. " + example);
    return new HostPort(host, port);
  }

  static void checkPort(int port, String fix) {
    if (port < MIN_PORT || port > MAX_PORT) {
      throw new InvalidSettingException("port", "port " + port + " is outside 1..65535", fix);
    }
  }

  /** Brackets an IPv6 host so that the result parses back. */
  static String format(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String portOf(String example) {
    return example.substring(example.lastIndexOf(':') + 1);
  }

  private static IllegalArgumentException invalid(String problem, String fix) {
    return new IllegalArgumentException(problem + " (" + fix + ")");
  }
}
