package dev.wagoexporter.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code proxy:} mappings on the meters' lines of a config file: read, and checked against each
 * other and the meters, each error at the offending value. A line's proxy is given on one of its
 * meters (or repeated, the same, on several): the lines' other settings live on each meter too.
 */
final class LineProxies {
  private static final String FIX_MAPPING =
      "give the proxy as a mapping, e.g. proxy: {listen_address: \":5020\", units: [5]}";

  /** A proxy as the file gives it: on which meter entry, at which key path. */
  private record Given(ProxyConfig config, int meterIndex, String path, List<Integer> writable) {}

  private LineProxies() {}

  /**
   * @param root the config file's top-level mapping, for error positions
   * @param entries the {@code meters} entries, the i-th read into {@code meters.get(i)}
   */
  static Map<BusAddress, ProxyConfig> read(
      YamlMapping root, List<YamlMapping> entries, List<MeterConfig> meters)
      throws ConfigException {
    Map<BusAddress, Given> byLine = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      MeterConfig meter = meters.get(i);
      String lineKey = meter.bus().key();
      Optional<YamlMapping> line = entries.get(i).optionalMapping(lineKey, FIX_MAPPING);
      Optional<YamlMapping> proxy =
          line.isEmpty() ? Optional.empty() : line.get().optionalMapping("proxy", FIX_MAPPING);
      if (proxy.isEmpty()) {
        continue;
      }
      String path = "meters[" + i + "]." + lineKey + ".proxy";
      Given given =
          new Given(ProxyConfig.read(proxy.get()), i, path, ProxyConfig.writableList(proxy.get()));
      checkAgainstEarlier(root, byLine, meter, meters, given);
      byLine.putIfAbsent(meter.bus().address(), given);
    }
    for (int i = 0; i < meters.size(); i++) {
      MeterConfig meter = meters.get(i);
      Given given = byLine.get(meter.bus().address());
      int at = given == null ? -1 : given.writable().indexOf(meter.unitId());
      if (given != null && at >= 0) {
        throw root.invalid(
            given.path() + ".writable_units[" + at + "]",
            ProxyConfig.meterNeverWritable(meter.unitId(), meter.name())
                + " (remove "
                + meter.unitId()
                + " from writable_units; the meter stays readable through the proxy)");
      }
    }
    Map<BusAddress, ProxyConfig> result = new LinkedHashMap<>();
    byLine.forEach((line, given) -> result.put(line, given.config()));
    return result;
  }

  private static void checkAgainstEarlier(
      YamlMapping root,
      Map<BusAddress, Given> byLine,
      MeterConfig meter,
      List<MeterConfig> meters,
      Given given)
      throws ConfigException {
    BusAddress address = meter.bus().address();
    for (Map.Entry<BusAddress, Given> earlier : byLine.entrySet()) {
      Given other = earlier.getValue();
      String otherRef =
          "meter '"
              + meters.get(other.meterIndex()).name()
              + "' at meters["
              + other.meterIndex()
              + "]";
      if (earlier.getKey().equals(address)) {
        if (!other.config().equals(given.config())) {
          throw root.invalid(
              given.path(),
              "this proxy differs from the one on "
                  + otherRef
                  + " on the same "
                  + meter.bus().describe()
                  + " (a line has one proxy: give it on one meter of the line, or the same on"
                  + " each)");
        }
      } else if (other.config().sharesPortWith(given.config())) {
        throw root.invalid(
            given.path() + ".listen_address",
            "listen_address "
                + given.config().listen()
                + " takes the port of the proxy of "
                + otherRef
                + " on "
                + meters.get(other.meterIndex()).bus().describe()
                + ", "
                + other.config().listen()
                + " (each line's proxy needs its own port, e.g. :5021)");
      }
    }
  }
}
