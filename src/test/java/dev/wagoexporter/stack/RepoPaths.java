package dev.wagoexporter.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locations of the shipped stack files, from the Maven project root (the tests' working directory).
 */
final class RepoPaths {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path PROMETHEUS_DIR = ROOT.resolve("deploy/prometheus");
  static final Path PROMETHEUS_YML = PROMETHEUS_DIR.resolve("prometheus.yml");
  static final Path RULES_DIR = PROMETHEUS_DIR.resolve("rules");
  static final Path DASHBOARDS_DIR = ROOT.resolve("deploy/grafana/dashboards");
  static final Path ALERTMANAGER_DIR = ROOT.resolve("deploy/alertmanager");
  static final Path COMPOSE_FILE = ROOT.resolve("compose.yaml");

  private RepoPaths() {}

  static Path[] ruleFiles() {
    try (var files = Files.list(RULES_DIR)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toArray(Path[]::new);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
