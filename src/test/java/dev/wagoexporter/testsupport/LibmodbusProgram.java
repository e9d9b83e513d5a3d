package dev.wagoexporter.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A C test program linked against libmodbus (Debian's libmodbus-dev), compiled with gcc. */
public final class LibmodbusProgram {
  private LibmodbusProgram() {}

  /**
   * Compiles {@code source} into {@code dir} and returns the binary. A missing libmodbus follows
   * the rule of a missing tool: skipped here, a failure in CI.
   */
  public static Path compile(Path source, Path dir) {
    ExternalTool gcc = ExternalTool.require("gcc", "gcc");
    ExternalTool pkgConfig = ExternalTool.require("pkg-config", "pkg-config");
    ExternalTool.Result flags = pkgConfig.run(dir, "--cflags", "--libs", "libmodbus");
    if (flags.exitCode() != 0) {
      String message = "libmodbus not found: install it with `apt-get install libmodbus-dev`";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + " (.ci/run must install it)");
      }
      assumeTrue(false, message);
    }
    String name = source.getFileName().toString().replaceFirst("\\.c$", "");
    Path binary = dir.resolve(name);
    List<String> compile =
        new ArrayList<>(List.of("-Wall", "-o", binary.toString(), source.toString()));
    compile.addAll(List.of(flags.output().trim().split("\\s+")));
    gcc.succeed(dir, compile.toArray(String[]::new));
    return binary;
  }
}
