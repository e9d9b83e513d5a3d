package dev.wagoexporter.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a meter's {@code profile} names: a built-in profile, or a profile file next to the
 * config file (or, for a flag, in the working directory).
 */
public final class ProfileLocator {
  private final Set<String> builtIns;
  private final Path configDirectory;
  private final String relativeTo;

  ProfileLocator(Set<String> builtIns, Path configDirectory) {
    this(builtIns, configDirectory, "the config file's directory");
  }

  private ProfileLocator(Set<String> builtIns, Path directory, String relativeTo) {
    this.builtIns = Set.copyOf(builtIns);
    this.configDirectory = directory;
    this.relativeTo = relativeTo;
  }

  /** For {@code --profile}: a file path is relative to the working directory. */
  public static ProfileLocator forFlag(Set<String> builtIns) {
    return new ProfileLocator(builtIns, Path.of(""), "the current directory");
  }

  /**
   * Returns a built-in name unchanged (a blank one too, for {@link MeterConfig} to reject), or the
   * absolute path of a readable profile file.
   */
  public String locate(String profile) {
    if (builtIns.contains(profile) || profile.isBlank()) {
      return profile;
    }
    String fix =
        "use a built-in profile: "
            + String.join(", ", new TreeSet<>(builtIns))
            + "; or the path of a profile file, relative to "
            + relativeTo;
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
