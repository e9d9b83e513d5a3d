package dev.wagoexporter.profile;

import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.YamlFormat;
import dev.wagoexporter.config.YamlMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a profile from YAML (see {@code profiles/wago-879-30xx.yaml}) through the same {@link
 * YamlMapping} as the config file, so that every error names the file, line, column and key path,
 * and says how to fix it. The built-in profile needs no YAML: it is {@link BuiltInProfile}.
 */
public final class ProfileLoader {
  public static final String BUILT_IN = "wago-879-30xx";

  // in a holder: YamlFormat brings the YAML parser, which the built-in profile must not load
  private static final class Yaml {
    static final YamlFormat FORMAT =
        new YamlFormat(
            "profile",
            "the profile keys name, identity and metrics as key: value lines",
            "start from the built-in profile, see docs/register-map.md",
            "docs/register-map.md",
            "docs/register-map.md");
  }

  private static final List<String> TOP_KEYS =
      List.of("name", "description", "function_code", "identity", "metrics");
  private static final List<String> IDENTITY_KEYS =
      List.of("serial", "meter_code", "firmware", "data_format", "models");
  private static final List<String> METRIC_KEYS =
      List.of(
          "name",
          "help",
          "kind",
          "unit",
          "scale",
          "range",
          "legacy",
          "type",
          "max_rate",
          "registers");
  private static final List<String> REGISTER_KEYS = List.of("address", "labels");

  private ProfileLoader() {}

  /** Names that need no file. */
  public static Set<String> builtInNames() {
    return Set.of(BUILT_IN);
  }

  /** A built-in name, or a path to a profile file. */
  public static Profile load(String nameOrPath) throws ProfileException {
    if (nameOrPath.equals(BUILT_IN)) {
      return BuiltInProfile.wago87930xx();
    }
    Path file = Path.of(nameOrPath);
    try {
      return parse(Yaml.FORMAT.read(file), file.toString());
    } catch (ConfigException e) {
      throw new ProfileException(e.getMessage(), e);
    }
  }

  static Profile parse(String yaml, String source) throws ProfileException {
    try {
      return new Reader().profile(Yaml.FORMAT.parse(source, yaml));
    } catch (ConfigException e) {
      throw new ProfileException(e.getMessage(), e);
    }
  }

  /**
   * Reads one profile; holds the running point index, which numbers the points across all metrics.
   */
  private static final class Reader {
    private int nextIndex;

    Profile profile(YamlMapping yaml) throws ConfigException {
      yaml.allowOnly(TOP_KEYS);
      String name = yaml.requiredString("name", "give the profile a name, e.g. name: my-meter");
      String description = yaml.string("description", name);
      int functionCode = yaml.integer("function_code", 3);
      if (functionCode != 3 && functionCode != 4) {
        throw yaml.invalid(
            "function_code",
            "function code "
                + functionCode
                + " is not supported"
                + " (use 3 for holding registers or 4 for input registers; the exporter never writes)");
      }
      IdentityRegisters identity =
          identity(
              yaml.mapping(
                  "identity",
                  "give the identity registers as a mapping, "
                      + "e.g. identity: {serial: 0x4000, meter_code: 0x4002, firmware: 0x4007, data_format: 0x4026}"));
      List<YamlMapping> entries = yaml.mappings("metrics");
      if (entries.isEmpty()) {
        throw yaml.invalid(
            "metrics",
            "no metrics (list at least one metric under metrics:, see docs/register-map.md)");
      }
      List<MetricDefinition> metrics = new ArrayList<>();
      Map<String, Integer> firstIndex = new HashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        MetricDefinition metric = metric(entries.get(i));
        Integer first = firstIndex.putIfAbsent(metric.name(), i);
        if (first != null) {
          throw entries
              .get(i)
              .invalid(
                  "name",
                  "metric name '"
                      + metric.name()
                      + "' is already used by metrics["
                      + first
                      + "] (give every metric its own name)");
        }
        metrics.add(metric);
      }
      return new Profile(name, description, functionCode, identity, metrics);
    }

    IdentityRegisters identity(YamlMapping yaml) throws ConfigException {
      yaml.allowOnly(IDENTITY_KEYS);
      return new IdentityRegisters(
          yaml.requiredHexInteger(
              "serial", "give the first register of the serial number, e.g. serial: 0x4000"),
          yaml.requiredHexInteger(
              "meter_code", "give the register of the meter code, e.g. meter_code: 0x4002"),
          yaml.requiredHexInteger(
              "firmware", "give the register of the firmware version, e.g. firmware: 0x4007"),
          yaml.requiredHexInteger(
              "data_format", "give the register of the data format, e.g. data_format: 0x4026"),
          yaml.numberedEntries(
              "models",
              "give the models as meter code: model name lines, e.g. 0x1111: 879-30xx 4PU"));
    }

    MetricDefinition metric(YamlMapping yaml) throws ConfigException {
      yaml.allowOnly(METRIC_KEYS);
      String name =
          yaml.requiredParsed(
              "name",
              "give the metric's Prometheus name, e.g. name: wago_voltage_volts",
              ProfileLoader::metricName);
      MetricKind kind = yaml.parsed("kind", MetricKind.GAUGE, ProfileLoader::kind);
      if (kind == MetricKind.COUNTER && !name.endsWith("_total")) {
        throw yaml.invalid(
            "name",
            "counter '" + name + "' does not end in _total (a counter's name must end in _total)");
      }
      ValueType type = yaml.parsed("type", ValueType.FLOAT32, ValueType::parse);
      YamlMapping.Bounds range =
          yaml.bounds("range")
              .orElse(new YamlMapping.Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
      double maxRate = yaml.number("max_rate", Double.POSITIVE_INFINITY);
      if (kind != MetricKind.COUNTER && yaml.has("max_rate")) {
        throw yaml.invalid(
            "max_rate",
            "max_rate applies to counters only (give it to a metric with kind: counter, or leave"
                + " it out)");
      }
      if (!(maxRate > 0)) {
        throw yaml.invalid(
            "max_rate",
            "max_rate "
                + maxRate
                + " is not a rise per second above 0 (give the most the meter can measure, e.g."
                + " max_rate: 3.6e7 for 36 MW on a counter in joules)");
      }
      List<YamlMapping> registers = yaml.mappings("registers");
      if (registers.isEmpty()) {
        throw yaml.invalid(
            "registers", "no registers (list at least one, e.g. registers: [{address: 0x5002}])");
      }
      List<RegisterPoint> points = new ArrayList<>();
      for (YamlMapping register : registers) {
        points.add(point(register, type));
      }
      return new MetricDefinition(
          name,
          yaml.requiredString(
              "help", "describe the metric in a few words, e.g. help: Phase voltage L-N"),
          kind,
          yaml.string("unit", ""),
          yaml.number("scale", 1.0),
          range.min(),
          range.max(),
          yaml.bool("legacy", false),
          maxRate,
          points);
    }

    RegisterPoint point(YamlMapping yaml, ValueType type) throws ConfigException {
      yaml.allowOnly(REGISTER_KEYS);
      int address =
          yaml.requiredHexInteger("address", "give the register's address, e.g. address: 0x5002");
      if (address < 0 || address + type.registerCount() > 0x10000) {
        throw yaml.invalid(
            "address",
            "address "
                + (address < 0 ? String.valueOf(address) : String.format("0x%04X", address))
                + " with its "
                + type.registerCount()
                + " register(s) is not within 0x0000..0xFFFF"
                + " (use the address from the meter's register map)");
      }
      return new RegisterPoint(
          nextIndex++,
          address,
          type,
          yaml.textEntries(
              "labels",
              (label, value) -> {},
              "give the labels as name: value, e.g. labels: {phase: L1}"));
    }
  }

  private static String metricName(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a valid Prometheus metric name"
              + " (use letters, digits, '_' and ':', and do not start with a digit)");
    }
    return name;
  }

  private static MetricKind kind(String text) {
    return switch (text) {
      case "gauge" -> MetricKind.GAUGE;
      case "counter" -> MetricKind.COUNTER;
      default ->
          throw new IllegalArgumentException("unknown kind '" + text + "' (use gauge or counter)");
    };
  }
}
