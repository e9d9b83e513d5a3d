package dev.wagoexporter.modbus;

import java.util.Locale;

/** How Modbus requests travel over the gateway's TCP socket. */
public enum Framing {
  /** Modbus TCP: MBAP header, no CRC. The gateway runs in protocol-conversion mode. */
  TCP("tcp"),
  /**
   * Raw Modbus RTU frames with CRC. The gateway runs in transparent mode ("Transfer protocol:
   * None").
   */
  RTU_OVER_TCP("rtu-over-tcp"),
  /** Probe once at connect (RTU first, then MBAP) and keep whichever answered. */
  AUTO("auto");

  private final String configName;

  Framing(String configName) {
    this.configName = configName;
  }

  /** The spelling used in config files, flags and logs. */
  public String configName() {
    return configName;
  }

  /**
   * Parses {@code tcp}, {@code rtu-over-tcp} or {@code auto}; throws with the accepted values
   * otherwise.
   */
  public static Framing parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (Framing f : values()) {
      if (f.configName.equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown framing '" + text + "' (use tcp, rtu-over-tcp or auto)");
  }

  @Override
  public String toString() {
    return configName;
  }
}
