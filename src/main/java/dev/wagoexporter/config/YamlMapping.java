package dev.wagoexporter.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of a file this program reads (config file, web config, profile), read by hand so
 * that every error names file, line, column and key path. The records read themselves through it;
 * it knows YAML types and positions, not the rules of any setting. Get the top-level mapping from
 * {@link YamlFormat}.
 */
public final class YamlMapping {
  private static final String OR_DEFAULT =
      "write a value after the colon, or remove the key to use the default";
  private static final String DECIMAL = ValueText.WHOLE_NUMBER_FIX;
  private static final String DECIMAL_OR_HEX =
      "write decimal digits, or 0x and hex digits such as 0x5002, without quotes";

  /** A {@code [min, max]} pair of numbers with {@code min <= max}. */
  public record Bounds(double min, double max) {}

  private final YamlFormat format;
  private final String file;
  private final String path;
  private final MappingNode node;

  YamlMapping(YamlFormat format, String file, String path, MappingNode node) {
    this.format = format;
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** Rejects keys that are not in {@code allowed}, and keys given twice. */
  public void allowOnly(List<String> allowed) throws ConfigException {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar)) {
        throw error(
            keyNode,
            path.isEmpty() ? "top level" : path,
            "a key must be a plain name",
            "allowed keys: " + String.join(", ", allowed));
      }
      String key = scalar.getValue();
      if (!allowed.contains(key)) {
        String hint = closest(key, allowed).map(k -> "did you mean '" + k + "'? ").orElse("");
        throw error(
            keyNode,
            pathOf(key),
            "unknown key '" + key + "'",
            hint + "allowed keys: " + String.join(", ", allowed));
      }
      Node first = seen.putIfAbsent(key, keyNode);
      if (first != null) {
        throw error(
            keyNode,
            pathOf(key),
            "key '" + key + "' is given twice, first on line " + line(first),
            "keep only one of them");
      }
    }
  }

  public String string(String key, String absent) throws ConfigException {
    Optional<Node> value = value(key);
    return value.isEmpty()
        ? absent
        : scalar(pathOf(key), value.get(), "a text value", OR_DEFAULT).getValue();
  }

  public String requiredString(String key, String fix) throws ConfigException {
    return scalar(pathOf(key), required(key, fix), "a text value", fix).getValue();
  }

  public int integer(String key, int absent) throws ConfigException {
    Optional<Node> value = value(key);
    return value.isEmpty() ? absent : toInt(pathOf(key), value.get(), OR_DEFAULT, DECIMAL);
  }

  public int requiredInteger(String key, String fix) throws ConfigException {
    return toInt(pathOf(key), required(key, fix), fix, DECIMAL);
  }

  /**
   * Like {@link #requiredInteger} for values such as register addresses, which are mostly written
   * in hex.
   */
  public int requiredHexInteger(String key, String fix) throws ConfigException {
    return toInt(pathOf(key), required(key, fix), fix, DECIMAL_OR_HEX);
  }

  /** A whole or decimal number, such as {@code 1000} or {@code 3.6e6}. */
  public double number(String key, double absent) throws ConfigException {
    Optional<Node> value = value(key);
    return value.isEmpty() ? absent : toDouble(pathOf(key), value.get(), OR_DEFAULT);
  }

  /** A {@code [min, max]} pair of numbers; empty when the key is absent. */
  public Optional<Bounds> bounds(String key) throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String fix = "write two numbers in brackets, smallest first, e.g. " + key + ": [0, 300]";
    if (!(value.get() instanceof SequenceNode pair) || pair.getValue().size() != 2) {
      throw error(
          value.get(), pathOf(key), "expected [min, max], got " + describe(value.get()), fix);
    }
    double min = toDouble(pathOf(key) + "[0]", pair.getValue().get(0), fix);
    double max = toDouble(pathOf(key) + "[1]", pair.getValue().get(1), fix);
    if (min > max) {
      throw error(value.get(), pathOf(key), "min " + min + " is larger than max " + max, fix);
    }
    return Optional.of(new Bounds(min, max));
  }

  public boolean bool(String key, boolean absent) throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return absent;
    }
    ScalarNode scalar = scalar(pathOf(key), value.get(), "true or false", OR_DEFAULT);
    if (!Tag.BOOL.equals(scalar.getTag())) {
      throw error(scalar, pathOf(key), ValueText.notBoolean(quoted(scalar)), ValueText.BOOLEAN_FIX);
    }
    return Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT));
  }

  /**
   * Reads a scalar through {@code parser}; its {@link IllegalArgumentException} message becomes the
   * error.
   */
  public <T> T parsed(String key, T absent, Function<String, T> parser) throws ConfigException {
    T given = parsedIfGiven(key, parser);
    return given == null ? absent : given;
  }

  /** Like {@link #parsed} for a key without a default: none when the key is absent. */
  public <T> @Nullable T parsedIfGiven(String key, Function<String, T> parser)
      throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return null;
    }
    return parse(key, scalar(pathOf(key), value.get(), "a text value", OR_DEFAULT), parser);
  }

  /** Like {@link #parsed} for a key that must be given. */
  public <T> T requiredParsed(String key, String fix, Function<String, T> parser)
      throws ConfigException {
    return parse(key, scalar(pathOf(key), required(key, fix), "a text value", fix), parser);
  }

  public YamlMapping mapping(String key, String fix) throws ConfigException {
    Node value = required(key, fix);
    if (!(value instanceof MappingNode mapping)) {
      throw error(value, pathOf(key), "expected a mapping, got " + describe(value), fix);
    }
    return new YamlMapping(format, file, pathOf(key), mapping);
  }

  /** A nested mapping that may be left out: empty when the key is absent or has no value. */
  public Optional<YamlMapping> optionalMapping(String key, String fix) throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty() || Tag.NULL.equals(value.get().getTag())) {
      return Optional.empty();
    }
    if (!(value.get() instanceof MappingNode mapping)) {
      throw error(
          value.get(), pathOf(key), "expected a mapping, got " + describe(value.get()), fix);
    }
    return Optional.of(new YamlMapping(format, file, pathOf(key), mapping));
  }

  /**
   * A mapping of free names to text values, such as user: password hash, in file order. {@code
   * check} judges each entry; its {@link IllegalArgumentException} message becomes the error at
   * that entry's value.
   */
  public Map<String, String> textEntries(String key, BiConsumer<String, String> check, String fix)
      throws ConfigException {
    Map<String, String> result = new LinkedHashMap<>();
    forEachEntry(
        key,
        fix,
        entry -> {
          String name = entry.name().getValue();
          try {
            check.accept(name, entry.value().getValue());
          } catch (IllegalArgumentException e) {
            throw new ConfigException(
                file + ":" + position(entry.value()) + ": " + entry.path() + ": " + e.getMessage());
          }
          result.put(name, entry.value().getValue());
        });
    return result;
  }

  /** Whether the key is given, even with no value or an empty mapping or list. */
  public boolean has(String key) {
    return value(key).isPresent();
  }

  /**
   * A list of text values, each read through {@code parser}, whose {@link IllegalArgumentException}
   * message becomes the error at that item; absent gives an empty list.
   */
  public <T> List<T> parsedList(String key, String fix, Function<String, T> parser)
      throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty() || Tag.NULL.equals(value.get().getTag())) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode sequence)) {
      throw error(value.get(), pathOf(key), "expected a list, got " + describe(value.get()), fix);
    }
    List<T> items = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String itemPath = key + "[" + i + "]";
      ScalarNode item = scalar(pathOf(itemPath), sequence.getValue().get(i), "a text value", fix);
      items.add(parse(itemPath, item, parser));
    }
    return items;
  }

  /**
   * A mapping of whole numbers (decimal or hex) to text values, such as meter code: model name, in
   * file order.
   */
  public Map<Integer, String> numberedEntries(String key, String fix) throws ConfigException {
    Map<Integer, String> result = new LinkedHashMap<>();
    forEachEntry(
        key,
        fix,
        entry ->
            result.put(
                toInt(entry.path(), entry.name(), fix, DECIMAL_OR_HEX), entry.value().getValue()));
    return result;
  }

  /**
   * Rejects keys of the same file format that this program does not implement, rather than ignoring
   * them.
   */
  public void rejectUnsupported(List<String> unsupported, String fix) throws ConfigException {
    for (NodeTuple tuple : node.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode scalar
          && unsupported.contains(scalar.getValue())) {
        throw error(
            scalar,
            pathOf(scalar.getValue()),
            "'" + scalar.getValue() + "' is not supported by wago-exporter",
            fix);
      }
    }
  }

  /**
   * A list of mappings; an absent or empty key gives an empty list, which the owning record judges.
   */
  public List<YamlMapping> mappings(String key) throws ConfigException {
    Optional<Node> value = value(key);
    if (value.isEmpty() || Tag.NULL.equals(value.get().getTag())) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode sequence)) {
      throw error(
          value.get(),
          pathOf(key),
          "expected a list, got " + describe(value.get()),
          "start each entry with '- ', see " + format.example());
    }
    List<YamlMapping> entries = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Node entry = sequence.getValue().get(i);
      String entryPath = pathOf(key) + "[" + i + "]";
      if (!(entry instanceof MappingNode mapping)) {
        throw error(
            entry,
            entryPath,
            "expected a mapping of settings, got " + describe(entry),
            "write the entry's settings as key: value lines under '- ', see " + format.example());
      }
      entries.add(new YamlMapping(format, file, entryPath, mapping));
    }
    return entries;
  }

  /**
   * Runs a record's constructor; when it rejects a setting, points at that setting's value in the
   * file, or at the nearest enclosing entry when the setting was left to its default.
   */
  public <T> T build(Supplier<T> constructor) throws ConfigException {
    try {
      return constructor.get();
    } catch (InvalidSettingException e) {
      throw invalid(e.key(), e.getMessage());
    }
  }

  /**
   * The error for a value that breaks a rule of its reader, at that value in the file (or the
   * nearest enclosing entry when it was left out).
   *
   * @param relativeKey the key path below this mapping, such as {@code name} or {@code
   *     registers[2].address}
   * @param problemAndFix what is wrong, then how to fix it in parentheses
   */
  public ConfigException invalid(String relativeKey, String problemAndFix) {
    return new ConfigException(
        file
            + ":"
            + position(locate(relativeKey))
            + ": "
            + pathOf(relativeKey)
            + ": "
            + problemAndFix);
  }

  private <T> T parse(String key, ScalarNode scalar, Function<String, T> parser)
      throws ConfigException {
    try {
      return parser.apply(scalar.getValue());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          file + ":" + position(scalar) + ": " + pathOf(key) + ": " + e.getMessage());
    }
  }

  /** One name: value pair of a mapping of free names. */
  private record Entry(ScalarNode name, ScalarNode value, String path) {}

  private interface EntryReader {
    void read(Entry entry) throws ConfigException;
  }

  /**
   * Hands each entry of a mapping of free names to {@code reader} in file order, rejecting names
   * given twice.
   */
  private void forEachEntry(String key, String fix, EntryReader reader) throws ConfigException {
    Optional<YamlMapping> entries = optionalMapping(key, fix);
    if (entries.isEmpty()) {
      return;
    }
    YamlMapping mapping = entries.get();
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode name)) {
        throw error(tuple.getKeyNode(), mapping.path, "a name must be plain text", fix);
      }
      String entryPath = mapping.pathOf(name.getValue());
      if (!seen.add(name.getValue())) {
        throw error(
            name, entryPath, "'" + name.getValue() + "' is given twice", "keep only one of them");
      }
      reader.read(
          new Entry(name, scalar(entryPath, tuple.getValueNode(), "a text value", fix), entryPath));
    }
  }

  private Optional<Node> value(String key) {
    return node.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
        .map(NodeTuple::getValueNode)
        .findFirst();
  }

  private Node required(String key, String fix) throws ConfigException {
    return value(key).orElseThrow(() -> error(node, pathOf(key), "missing", fix));
  }

  /**
   * @param emptyFix how to fix a key given with nothing after the colon
   */
  private ScalarNode scalar(String keyPath, Node value, String expected, String emptyFix)
      throws ConfigException {
    if (!(value instanceof ScalarNode scalar)) {
      throw error(
          value,
          keyPath,
          "expected " + expected + ", got " + describe(value),
          "write a single value after the colon");
    }
    if (Tag.NULL.equals(scalar.getTag())) {
      throw error(value, keyPath, "has no value", emptyFix);
    }
    return scalar;
  }

  /**
   * @param formatFix how to write a whole number where something else was written
   */
  private int toInt(String keyPath, Node value, String emptyFix, String formatFix)
      throws ConfigException {
    ScalarNode scalar = scalar(keyPath, value, "a whole number", emptyFix);
    if (!Tag.INT.equals(scalar.getTag())) {
      throw error(scalar, keyPath, ValueText.notWholeNumber(quoted(scalar)), formatFix);
    }
    try {
      return Math.toIntExact(wholeNumber(scalar.getValue()));
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      throw error(
          scalar,
          keyPath,
          "number " + scalar.getValue() + " is out of range",
          "write a small whole number; " + format.reference() + " lists the allowed range");
    }
  }

  /** Whole numbers as the core schema writes them: decimal, {@code 0x} hex or {@code 0o} octal. */
  private static long wholeNumber(String text) {
    boolean negative = text.startsWith("-");
    String digits = text.replaceFirst("^[+-]", "");
    int radix = 10;
    if (digits.startsWith("0x")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.startsWith("0o")) {
      radix = 8;
      digits = digits.substring(2);
    }
    return Long.parseLong((negative ? "-" : "") + digits, radix);
  }

  private double toDouble(String keyPath, Node value, String emptyFix) throws ConfigException {
    ScalarNode scalar = scalar(keyPath, value, "a number", emptyFix);
    double number;
    try {
      number =
          Tag.INT.equals(scalar.getTag())
              ? wholeNumber(scalar.getValue())
              : Tag.FLOAT.equals(scalar.getTag())
                  ? Double.parseDouble(scalar.getValue())
                  : Double.NaN;
    } catch (NumberFormatException e) {
      number = Double.NaN;
    }
    // .inf and .nan are floats to YAML, but no bound or factor of a meter is infinite.
    if (!Double.isFinite(number)) {
      throw error(scalar, keyPath, ValueText.notNumber(quoted(scalar)), ValueText.NUMBER_FIX);
    }
    return number;
  }

  /** The deepest node along a relative key path such as {@code meters[1].gateway.framing}. */
  private Node locate(String relativePath) {
    Node current = node;
    for (String segment : relativePath.split("\\.", -1)) {
      String key = segment.replaceFirst("\\[\\d+]$", "");
      if (!(current instanceof MappingNode mapping)) {
        return current;
      }
      Optional<Node> child = new YamlMapping(format, file, path, mapping).value(key);
      if (child.isEmpty()) {
        return current;
      }
      current = child.get();
      if (!key.equals(segment)) {
        int index = Integer.parseInt(segment.substring(key.length() + 1, segment.length() - 1));
        if (!(current instanceof SequenceNode sequence) || index >= sequence.getValue().size()) {
          return current;
        }
        current = sequence.getValue().get(index);
      }
    }
    return current;
  }

  private String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ConfigException error(Node at, String keyPath, String problem, String fix) {
    return new ConfigException(
        file + ":" + position(at) + ": " + keyPath + ": " + problem + " (" + fix + ")");
  }

  /**
   * 1-based {@code line:column}, as editors count; an empty document has no marks and points at its
   * start.
   */
  static String position(Node at) {
    return at.getStartMark().map(YamlMapping::position).orElse("1:1");
  }

  static String position(Mark mark) {
    return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  private static String line(Node at) {
    return at.getStartMark().map(m -> String.valueOf(m.getLine() + 1)).orElse("?");
  }

  private static String describe(Node value) {
    if (value instanceof MappingNode) {
      return "a mapping";
    }
    if (value instanceof SequenceNode) {
      return "a list";
    }
    return quoted((ScalarNode) value);
  }

  private static String quoted(ScalarNode scalar) {
    return Tag.NULL.equals(scalar.getTag()) ? "nothing" : ValueText.quoted(scalar.getValue());
  }

  /**
   * The allowed key a typo most likely meant: same letters ignoring case and separators, or at most
   * 2 edits away.
   */
  static Optional<String> closest(String key, List<String> allowed) {
    String normalized = normalize(key);
    for (String candidate : allowed) {
      if (normalize(candidate).equals(normalized)) {
        return Optional.of(candidate);
      }
    }
    return allowed.stream()
        .filter(candidate -> editDistance(key.toLowerCase(Locale.ROOT), candidate) <= 2)
        .min(
            Comparator.comparingInt(
                candidate -> editDistance(key.toLowerCase(Locale.ROOT), candidate)));
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
