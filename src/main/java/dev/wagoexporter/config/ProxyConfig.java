package dev.wagoexporter.config;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Modbus TCP server a line offers the other programs on its RS485 bus (docs/design.md, "One
 * master on the line"): where it listens, which other units' reads it forwards, and which units it
 * lets clients write to. The exporter's own meters on the line are always readable through it and
 * never writable.
 *
 * @param listen where clients connect, {@code [HOST]:PORT}
 * @param units other devices on the line whose reads (function codes 01-04) are forwarded
 * @param writableUnits devices that clients may write to (05, 06, 15, 16, 22, 23); readable too
 */
public record ProxyConfig(ListenAddress listen, Set<Integer> units, Set<Integer> writableUnits) {
  public ProxyConfig {
    Objects.requireNonNull(listen, "listen");
    units = Set.copyOf(units);
    writableUnits = Set.copyOf(writableUnits);
    for (int unit : union(units, writableUnits)) {
      if (unit < 1 || unit > 247) {
        throw new InvalidSettingException(
            "proxy.units",
            "unit " + unit + " is not a Modbus device address",
            "give unit ids between 1 and 247, e.g. 5");
      }
    }
  }

  /** Every unit other than the meters whose reads go out on the line, in order. */
  public Set<Integer> readableUnits() {
    return union(units, writableUnits);
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
