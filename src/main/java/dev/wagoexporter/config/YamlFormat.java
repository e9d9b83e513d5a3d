package dev.wagoexporter.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * One kind of YAML file this program reads (the config file, the web config file, a profile): what
 * errors call it and where they send the reader. Reads such a file into its top-level {@link
 * YamlMapping}, or says in one line what is wrong and where.
 *
 * @param what the file's name in errors, e.g. {@code config file}
 * @param topLevel what the top level must hold, e.g. {@code the settings listen, legacy_metrics and
 *     meters as key: value lines}
 * @param topLevelFix how to fix a top level that is not a mapping
 * @param example the file or page that shows the format, for errors about its shape
 * @param reference the page that lists the allowed values, for numbers out of range
 */
public record YamlFormat(
    String what, String topLevel, String topLevelFix, String example, String reference) {

  /** Reads and parses {@code file}. */
  public YamlMapping load(Path file) throws ConfigException {
    return parse(file.toString(), read(file));
  }

  /** The file as UTF-8 text; a file that cannot be read gives one line with the reason. */
  public String read(Path file) throws ConfigException {
    String cannot = file + ": cannot read " + what + ": ";
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(cannot + "it is a directory (give the path of the YAML file)");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(cannot + "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(cannot + "permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(cannot + "not UTF-8 text (save it as UTF-8)", e);
    } catch (IOException e) {
      throw new ConfigException(cannot + e.getMessage(), e);
    }
  }

  /**
   * The top-level mapping of {@code text}; an empty document is an empty mapping, so that the first
   * missing key is the error to report.
   *
   * @param name the file name that errors start with
   */
  public YamlMapping parse(String name, String text) throws ConfigException {
    // Core schema: 'true' is a boolean and '0x10' a number, but 'yes' and 'on' stay text, as in
    // YAML 1.2.
    LoadSettings settings =
        LoadSettings.builder().setLabel(name).setSchema(new CoreSchema()).build();
    Optional<Node> document;
    try {
      document = new Compose(settings).composeString(text);
    } catch (StackOverflowError e) {
      // SnakeYAML Engine parses nested collections recursively and has no depth limit; the stack
      // unwinds whole, and no configuration of ours nests more than a few levels.
      throw new ConfigException(
          name
              + ":1:1: invalid YAML: collections nested too deeply (check the file against "
              + example
              + ")",
          e);
    } catch (MarkedYamlEngineException e) {
      String where =
          e.getProblemMark().or(e::getContextMark).map(YamlMapping::position).orElse("1:1");
      throw new ConfigException(name + ":" + where + ": invalid YAML: " + syntaxProblem(e), e);
    } catch (YamlEngineException e) {
      throw new ConfigException(
          name
              + ":1:1: invalid YAML: "
              + Objects.requireNonNullElse(e.getMessage(), "").lines().findFirst().orElse("")
              + " (check the file against "
              + example
              + ")",
          e);
    }
    if (document.isEmpty() || Tag.NULL.equals(document.get().getTag())) {
      return new YamlMapping(this, name, "", new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK));
    }
    if (!(document.get() instanceof MappingNode root)) {
      throw new ConfigException(
          name
              + ":"
              + YamlMapping.position(document.get())
              + ": top level: expected "
              + topLevel
              + ", got "
              + (document.get() instanceof SequenceNode ? "a list" : "a single value")
              + " ("
              + topLevelFix
              + ")");
    }
    return new YamlMapping(this, name, "", root);
  }

  /**
   * The parser's problem in one line; the context (e.g. the flow mapping left open) says where it
   * began.
   */
  private static String syntaxProblem(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    if (problem.contains("\\t") || problem.contains("\t")) {
      return "a tab character where YAML allows only spaces (indent with spaces, not tabs)";
    }
    String context = "";
    if (e.getContext() != null) {
      context =
          e.getContext()
              + e.getContextMark().map(m -> " at " + YamlMapping.position(m)).orElse("")
              + ": ";
    }
    return (context + problem).replaceAll("\\s+", " ").trim()
        + " (check the indentation, close every { and [, and quote values that contain ': ' or ' #')";
  }
}
