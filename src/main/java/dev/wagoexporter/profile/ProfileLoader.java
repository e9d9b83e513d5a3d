package dev.wagoexporter.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a profile from YAML (see {@code profiles/wago-879-30xx.yaml}). Works on the node tree so that every
 * error names the file, line and key.
 */
public final class ProfileLoader {
  public static final String BUILT_IN = "wago-879-30xx";
  private static final Set<String> METRIC_KEYS = Set.of("name", "help", "kind", "unit", "scale", "range", "legacy", "type", "registers");
  private static final Set<String> TOP_KEYS = Set.of("name", "description", "function_code", "identity", "metrics");

  private ProfileLoader() {}

  /** Names that need no file. */
  public static Set<String> builtInNames() {
    return Set.of(BUILT_IN);
  }

  /** A built-in name, or a path to a profile file. */
  public static Profile load(String nameOrPath) throws ProfileException {
    if (builtInNames().contains(nameOrPath)) {
      try (InputStream in = ProfileLoader.class.getResourceAsStream("/profiles/" + nameOrPath + ".yaml")) {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in profile " + nameOrPath);
      } catch (IOException e) {
        throw new IllegalStateException("built-in profile missing from the jar", e);
      }
    }
    Path file = Path.of(nameOrPath);
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ProfileException(file + ": cannot read profile: " + e.getMessage()
          + " (use a built-in profile name such as " + BUILT_IN + ", or a readable YAML file)");
    }
  }

  static Profile parse(String yaml, String source) throws ProfileException {
    Node root;
    try {
      Optional<Node> node = new Compose(LoadSettings.builder().setLabel(source).build()).composeReader(new StringReader(yaml));
      root = node.orElseThrow(() -> new ProfileException(source + ": the profile is empty"));
    } catch (YamlEngineException e) {
      throw new ProfileException(source + ": YAML syntax error: " + e.getMessage().replace('\n', ' '));
    }
    return new NodeReader(source).profile(root);
  }

  /** Walks the node tree; holds the source name for error messages and the running point index. */
  private static final class NodeReader {
    private final String source;
    private int nextIndex;

    NodeReader(String source) {
      this.source = source;
    }

    Profile profile(Node root) throws ProfileException {
      Map<String, Node> top = mapping(root, "", TOP_KEYS);
      String name = text(required(top, "name", root, ""), "name");
      String description = top.containsKey("description") ? text(top.get("description"), "description") : name;
      int functionCode = top.containsKey("function_code") ? integer(top.get("function_code"), "function_code") : 3;
      if (functionCode != 3 && functionCode != 4) {
        throw error(top.get("function_code"), "function_code", "must be 3 (holding registers) or 4 (input registers); the exporter never writes");
      }
      IdentityRegisters identity = identity(required(top, "identity", root, ""));
      Node metricsNode = required(top, "metrics", root, "");
      if (!(metricsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
        throw error(metricsNode, "metrics", "must be a non-empty list of metrics");
      }
      List<MetricDefinition> metrics = new ArrayList<>();
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        MetricDefinition metric = metric(seq.getValue().get(i), "metrics[" + i + "]");
        if (!names.add(metric.name())) {
          throw error(seq.getValue().get(i), "metrics[" + i + "].name", "duplicate metric name " + metric.name());
        }
        metrics.add(metric);
      }
      return new Profile(name, description, functionCode, identity, metrics);
    }

    IdentityRegisters identity(Node node) throws ProfileException {
      Map<String, Node> m = mapping(node, "identity", Set.of("serial", "meter_code", "firmware", "data_format", "models"));
      Map<Integer, String> models = new LinkedHashMap<>();
      if (m.containsKey("models")) {
        for (Map.Entry<String, Node> e : mapping(m.get("models"), "identity.models", null).entrySet()) {
          models.put(parseInt(e.getKey(), e.getValue(), "identity.models"), text(e.getValue(), "identity.models." + e.getKey()));
        }
      }
      return new IdentityRegisters(
          integer(required(m, "serial", node, "identity"), "identity.serial"),
          integer(required(m, "meter_code", node, "identity"), "identity.meter_code"),
          integer(required(m, "firmware", node, "identity"), "identity.firmware"),
          integer(required(m, "data_format", node, "identity"), "identity.data_format"),
          models);
    }

    MetricDefinition metric(Node node, String path) throws ProfileException {
      Map<String, Node> m = mapping(node, path, METRIC_KEYS);
      String name = text(required(m, "name", node, path), path + ".name");
      if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw error(m.get("name"), path + ".name", "'" + name + "' is not a valid Prometheus metric name");
      }
      MetricKind kind = MetricKind.GAUGE;
      if (m.containsKey("kind")) {
        String k = text(m.get("kind"), path + ".kind");
        kind = switch (k) {
          case "gauge" -> MetricKind.GAUGE;
          case "counter" -> MetricKind.COUNTER;
          default -> throw error(m.get("kind"), path + ".kind", "unknown kind '" + k + "' (use gauge or counter)");
        };
      }
      if (kind == MetricKind.COUNTER && !name.endsWith("_total")) {
        throw error(m.get("name"), path + ".name", "a counter's name must end in _total");
      }
      ValueType type = ValueType.FLOAT32;
      if (m.containsKey("type")) {
        try {
          type = ValueType.parse(text(m.get("type"), path + ".type"));
        } catch (IllegalArgumentException e) {
          throw error(m.get("type"), path + ".type", e.getMessage());
        }
      }
      double min = Double.NEGATIVE_INFINITY;
      double max = Double.POSITIVE_INFINITY;
      if (m.containsKey("range")) {
        Node range = m.get("range");
        if (!(range instanceof SequenceNode rs) || rs.getValue().size() != 2) {
          throw error(range, path + ".range", "must be [min, max]");
        }
        min = number(rs.getValue().get(0), path + ".range");
        max = number(rs.getValue().get(1), path + ".range");
        if (min > max) {
          throw error(range, path + ".range", "min is larger than max");
        }
      }
      Node regs = required(m, "registers", node, path);
      if (!(regs instanceof SequenceNode rs) || rs.getValue().isEmpty()) {
        throw error(regs, path + ".registers", "must be a non-empty list of {address: 0x...}");
      }
      List<RegisterPoint> points = new ArrayList<>();
      for (int i = 0; i < rs.getValue().size(); i++) {
        String p = path + ".registers[" + i + "]";
        Map<String, Node> r = mapping(rs.getValue().get(i), p, Set.of("address", "labels"));
        int address = integer(required(r, "address", rs.getValue().get(i), p), p + ".address");
        if (address < 0 || address + type.registerCount() > 0x10000) {
          throw error(r.get("address"), p + ".address", "must be between 0x0000 and 0xFFFF");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (r.containsKey("labels")) {
          for (Map.Entry<String, Node> e : mapping(r.get("labels"), p + ".labels", null).entrySet()) {
            labels.put(e.getKey(), text(e.getValue(), p + ".labels." + e.getKey()));
          }
        }
        points.add(new RegisterPoint(nextIndex++, address, type, labels));
      }
      return new MetricDefinition(
          name,
          text(required(m, "help", node, path), path + ".help"),
          kind,
          m.containsKey("unit") ? text(m.get("unit"), path + ".unit") : "",
          m.containsKey("scale") ? number(m.get("scale"), path + ".scale") : 1.0,
          min,
          max,
          m.containsKey("legacy") && bool(m.get("legacy"), path + ".legacy"),
          points);
    }

    Map<String, Node> mapping(Node node, String path, Set<String> allowed) throws ProfileException {
      if (!(node instanceof MappingNode mn)) {
        throw error(node, path.isEmpty() ? "(top level)" : path, "must be a mapping of key: value");
      }
      Map<String, Node> result = new LinkedHashMap<>();
      for (NodeTuple t : mn.getValue()) {
        String key = text(t.getKeyNode(), path);
        if (allowed != null && !allowed.contains(key)) {
          throw error(t.getKeyNode(), join(path, key), "unknown key (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        result.put(key, t.getValueNode());
      }
      return result;
    }

    Node required(Map<String, Node> m, String key, Node parent, String path) throws ProfileException {
      Node n = m.get(key);
      if (n == null) {
        throw error(parent, join(path, key), "missing required key");
      }
      return n;
    }

    String text(Node node, String path) throws ProfileException {
      if (!(node instanceof ScalarNode s)) {
        throw error(node, path, "must be a plain value");
      }
      return s.getValue();
    }

    int integer(Node node, String path) throws ProfileException {
      return parseInt(text(node, path), node, path);
    }

    int parseInt(String text, Node node, String path) throws ProfileException {
      try {
        String t = text.trim().replace("_", "");
        return t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw error(node, path, "'" + text + "' is not an integer (write 0x5002 or 20482)");
      }
    }

    double number(Node node, String path) throws ProfileException {
      String t = text(node, path);
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error(node, path, "'" + t + "' is not a number");
      }
    }

    boolean bool(Node node, String path) throws ProfileException {
      String t = text(node, path);
      return switch (t) {
        case "true" -> true;
        case "false" -> false;
        default -> throw error(node, path, "'" + t + "' is not true or false");
      };
    }

    ProfileException error(Node node, String path, String problem) {
      String where = node.getStartMark()
          .map(mark -> source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1))
          .orElse(source);
      return new ProfileException(where + ": " + path + ": " + problem);
    }

    private static String join(String path, String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }
}
