package dev.wagoexporter.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a meter's {@code profile} names: a built-in profile, or a profile file next to the
 * config file.
 */
final class ProfileLocator {
  private final Set<String> builtIns;
  private final Path configDirectory;

  ProfileLocator(Set<String> builtIns, Path configDirectory) {
    this.builtIns = Set.copyOf(builtIns);
    this.configDirectory = configDirectory;
  }

  /**
   * Returns a built-in name unchanged (a blank one too, for {@link MeterConfig} to reject), or the
   * absolute path of a readable profile file.
   */
  String locate(String profile) {
    if (builtIns.contains(profile) || profile.isBlank()) {
      return profile;
    }
    String fix =
        "use a built-in profile: "
            + String.join(", ", new TreeSet<>(builtIns))
            + "; or the path of a profile file, relative to the config file's directory";
    Path file;
    try {
      file = configDirectory.resolve(profile).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(
          "profile", "profile '" + profile + "' is neither built in nor a file path", fix);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InvalidSettingException(
          "profile",
          "profile '" + profile + "' is not built in, and " + file + " is not a readable file",
          fix);
    }
    return file.toString();
  }
}
