package dev.wagoexporter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What was built: version, git revision and build time from {@code build-info.properties}, which
 * Maven fills in at package time. A value Maven could not fill (no .git in a Docker build context)
 * is "unknown"; run from classes that were never filtered, the version is "dev".
 */
public final class Version implements IVersionProvider {
  private static final BuildInfo INFO = BuildInfo.load();

  /** The build's facts. */
  public record BuildInfo(String version, String revision, String buildDate) {
    static BuildInfo load() {
      Properties p = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("/build-info.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // a jar that cannot read its own resource: report what is known
      }
      String revision = filled(p.getProperty("revision"), "unknown");
      if (!revision.equals("unknown") && "true".equals(p.getProperty("dirty"))) {
        revision += "-dirty";
      }
      return new BuildInfo(
          filled(p.getProperty("version"), "dev"),
          revision,
          filled(p.getProperty("build_date"), "unknown"));
    }

    private static String filled(String value, String otherwise) {
      return value == null || value.isBlank() || value.contains("${") ? otherwise : value;
    }
  }

  public static String current() {
    return INFO.version();
  }

  public static BuildInfo info() {
    return INFO;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "wago-exporter " + INFO.version(),
      "  revision:   " + INFO.revision(),
      "  build date: " + INFO.buildDate(),
      "  java:       "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vm.name")
          + ", "
          + System.getProperty("os.arch")
          + ")"
    };
  }
}
