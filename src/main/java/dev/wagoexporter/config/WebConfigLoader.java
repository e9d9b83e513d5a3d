package dev.wagoexporter.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads {@code --web.config.file} into a {@link WebConfig}, or says in one line what is wrong and
 * where.
 */
public final class WebConfigLoader {
  static final YamlFormat FORMAT =
      new YamlFormat(
          "web config file",
          "the settings tls_server_config and basic_auth_users as key: value lines",
          "see docs/security.md",
          "docs/security.md",
          "docs/security.md");

  private WebConfigLoader() {}

  /** An empty file means plain HTTP, as without the flag. */
  public static WebConfig load(Path file) throws ConfigException {
    // a file that loaded is not the root directory, so its absolute path has a parent
    return WebConfig.read(
        FORMAT.load(file), Objects.requireNonNull(file.toAbsolutePath().getParent()));
  }
}
