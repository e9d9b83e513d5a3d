package dev.wagoexporter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Reads {@code --web.config.file} into a {@link WebConfig}, or says in one line what is wrong and where. */
public final class WebConfigLoader {
  private WebConfigLoader() {}

  public static WebConfig load(Path file) throws ConfigException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": cannot read web config file: no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": cannot read web config file: permission denied", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read web config file: " + e.getMessage(), e);
    }
    LoadSettings settings = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema()).build();
    Optional<Node> document;
    try {
      document = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      String where = e.getProblemMark().or(e::getContextMark).map(ConfigMapping::position).orElse("1:1");
      throw new ConfigException(name + ":" + where + ": invalid YAML: "
          + String.valueOf(e.getProblem()).replaceAll("\\s+", " ").trim() + " (check the indentation and quoting)", e);
    } catch (YamlEngineException e) {
      throw new ConfigException(name + ":1:1: invalid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    MappingNode root;
    if (document.isEmpty() || Tag.NULL.equals(document.get().getTag())) {
      root = new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK); // an empty file: plain HTTP, as without the flag
    } else if (document.get() instanceof MappingNode mapping) {
      root = mapping;
    } else {
      throw new ConfigException(name + ":" + ConfigMapping.position(document.get())
          + ": top level: expected the settings tls_server_config and basic_auth_users as key: value lines "
          + "(see docs/security.md)");
    }
    return WebConfig.read(new ConfigMapping(name, "", root), file.toAbsolutePath().getParent());
  }
}
