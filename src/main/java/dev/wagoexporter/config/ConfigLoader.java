package dev.wagoexporter.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the YAML config file into an {@link ExporterConfig}, or says in one line what is wrong and
 * where.
 */
public final class ConfigLoader {
  static final YamlFormat FORMAT =
      new YamlFormat(
          "config file",
          "the settings listen, legacy_metrics, meters, probe and status as key: value lines",
          "start the file with meters:, see config.example.yml",
          "config.example.yml",
          "docs/configuration.md");

  private ConfigLoader() {}

  /**
   * Reads and checks the config file.
   *
   * @param builtInProfiles the profile names that need no file; any other {@code profile} value is
   *     a file path relative to the config file's directory
   */
  public static ExporterConfig load(Path file, Set<String> builtInProfiles) throws ConfigException {
    // An empty file has no settings; the missing meters: list is then the error to report.
    YamlMapping root = FORMAT.load(file);
    // a file that loaded is not the root directory, so its absolute path has a parent
    Path directory = Objects.requireNonNull(file.toAbsolutePath().getParent());

    return ExporterConfig.read(root, new ProfileLocator(builtInProfiles, directory));
  }
}
