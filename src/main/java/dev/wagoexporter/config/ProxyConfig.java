package dev.wagoexporter.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Modbus TCP server a line offers the other programs on its RS485 bus (docs/design.md, "One
 * master on the line"): where it listens, which other units' reads it forwards, and which units it
 * lets clients write to. The exporter's own meters on the line are always readable through it and
 * never writable. In the config file it is {@code proxy:} on the line ({@code gateway:} or {@code
 * serial:}) of a meter.
 *
 * @param listen where clients connect, {@code [HOST]:PORT}
 * @param units other devices on the line whose reads (function codes 01-04) are forwarded
 * @param writableUnits devices that clients may write to (05, 06, 15, 16, 22, 23); readable too
 */
public record ProxyConfig(ListenAddress listen, Set<Integer> units, Set<Integer> writableUnits) {
  static final List<String> KEYS = List.of("listen_address", "units", "writable_units");

  public ProxyConfig {
    Objects.requireNonNull(listen, "listen");
    units = Set.copyOf(units);
    writableUnits = Set.copyOf(writableUnits);
    for (int unit : union(units, writableUnits)) {
      UnitIds.require(writableUnits.contains(unit) ? "proxy.writable_units" : "proxy.units", unit);
    }
  }

  /** Every unit other than the meters whose reads go out on the line, in order. */
  public Set<Integer> readableUnits() {
    return union(units, writableUnits);
  }

  /**
   * Whether two proxies would bind the same port: the same port on the same host, or on all
   * interfaces and any host.
   */
  public boolean sharesPortWith(ProxyConfig other) {
    return listen.port() == other.listen.port()
        && (listen.allInterfaces()
            || other.listen.allInterfaces()
            || listen.host().equals(other.listen.host()));
  }

  /** Why a meter's unit is refused in {@code writable_units}, without the fix. */
  static String meterNeverWritable(int unit, String meterName) {
    return "unit "
        + unit
        + " is meter '"
        + meterName
        + "', which the exporter reads; a meter can never be writable through the proxy";
  }

  /** Parses {@code :5020}, {@code 127.0.0.1:5020} or {@code [::1]:5020}. */
  public static ListenAddress parseListen(String text) {
    HostPort parsed = HostPort.parse(text, ":5020", true);
    return new ListenAddress(parsed.host(), parsed.port());
  }

  /** One unit id of a {@code units} or {@code writable_units} list. */
  static int parseUnit(String text) {
    return UnitIds.parse("unit", text);
  }

  /** {@code proxy: {listen_address, units, writable_units}} of a line in the config file. */
  static ProxyConfig read(YamlMapping yaml) throws ConfigException {
    yaml.allowOnly(KEYS);
    ListenAddress listen =
        yaml.requiredParsed(
            "listen_address",
            "give where the other programs connect, e.g. listen_address: \":5020\"",
            ProxyConfig::parseListen);
    Set<Integer> units =
        new TreeSet<>(
            yaml.parsedList(
                "units",
                "list the other devices' unit ids whose reads are forwarded, e.g. units: [5]",
                ProxyConfig::parseUnit));
    Set<Integer> writable = new TreeSet<>(writableList(yaml));
    return yaml.build(() -> new ProxyConfig(listen, units, writable));
  }

  /** The {@code writable_units} list as written, so that an error can point at one of them. */
  static List<Integer> writableList(YamlMapping yaml) throws ConfigException {
    return yaml.parsedList(
        "writable_units",
        "list the unit ids proxy clients may write to, e.g. writable_units: [5]; never a meter",
        ProxyConfig::parseUnit);
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
