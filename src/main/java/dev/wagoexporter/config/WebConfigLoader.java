package dev.wagoexporter.config;

import java.nio.file.Path;

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
    return WebConfig.read(FORMAT.load(file), file.toAbsolutePath().getParent());
  }
}
