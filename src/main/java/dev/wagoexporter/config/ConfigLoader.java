package dev.wagoexporter.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

/** Reads the YAML config file into an {@link ExporterConfig}, or says in one line what is wrong and where. */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param builtInProfiles the profile names that need no file; any other {@code profile} value is a file path
   *     relative to the config file's directory
   */
  public static ExporterConfig load(Path file, Set<String> builtInProfiles) throws ConfigException {
    String name = file.toString();
    String text = read(file);
    MappingNode root = compose(name, text);
    Path directory = file.toAbsolutePath().getParent();
    return ExporterConfig.read(new ConfigMapping(name, "", root), new ProfileLocator(builtInProfiles, directory));
  }

  private static String read(Path file) throws ConfigException {
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(file + ": cannot read config file: it is a directory (give the path of the YAML file)");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": cannot read config file: no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": cannot read config file: permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": cannot read config file: not UTF-8 text (save it as UTF-8)", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
    }
  }

  private static MappingNode compose(String name, String text) throws ConfigException {
    // Core schema: 'true' is a boolean and '0x10' a number, but 'yes' and 'on' stay text, as in YAML 1.2.
    LoadSettings settings = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema()).build();
    Optional<Node> document;
    try {
      document = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      String where = e.getProblemMark().or(e::getContextMark).map(ConfigMapping::position).orElse("1:1");
      throw new ConfigException(name + ":" + where + ": invalid YAML: " + syntaxProblem(e), e);
    } catch (YamlEngineException e) {
      throw new ConfigException(name + ":1:1: invalid YAML: " + e.getMessage().lines().findFirst().orElse("")
          + " (check the file against config.example.yml)", e);
    }
    if (document.isEmpty() || Tag.NULL.equals(document.get().getTag())) {
      // An empty file has no settings; the missing meters: list is then the error to report.
      return new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK);
    }
    if (!(document.get() instanceof MappingNode root)) {
      throw new ConfigException(name + ":" + ConfigMapping.position(document.get())
          + ": top level: expected the settings listen, legacy_metrics and meters as key: value lines, got "
          + (document.get() instanceof SequenceNode ? "a list" : "a single value")
          + " (start the file with meters:, see config.example.yml)");
    }
    return root;
  }

  /** The parser's problem in one line; the context (e.g. the flow mapping left open) says where it began. */
  private static String syntaxProblem(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    if (problem.contains("\\t") || problem.contains("\t")) {
      return "a tab character where YAML allows only spaces (indent with spaces, not tabs)";
    }
    String context = "";
    if (e.getContext() != null) {
      context = e.getContext() + e.getContextMark().map(m -> " at " + ConfigMapping.position(m)).orElse("") + ": ";
    }
    return (context + problem).replaceAll("\\s+", " ").trim()
        + " (check the indentation, close every { and [, and quote values that contain ': ' or ' #')";
  }
}
