package dev.wagoexporter.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from a Debian package (promtool, prometheus, docker-compose, sqlite3).
 * Missing tools skip the test on a developer machine but fail it in CI (CI=true), where .ci/run
 * installs them.
 */
public record ExternalTool(Path path) {

  public static ExternalTool require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return new ExternalTool(candidate);
      }
    }
    String message =
        name + " not found on PATH: install it with `apt-get install " + debianPackage + "`";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (.ci/run must install it)");
    }
    assumeTrue(false, message);
    throw new IllegalStateException("unreachable");
  }

  public Result run(Path workingDir, String... args) {
    return run(workingDir, List.of(), args);
  }

  /** Runs to completion (at most two minutes); {@code env} holds NAME=value pairs. */
  public Result run(Path workingDir, List<String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
    for (String pair : env) {
      int eq = pair.indexOf('=');
      builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    try {
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 2 minutes");
      }
      return new Result(
          process.exitValue(), new String(output, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  /** Runs to completion and fails the test unless the tool exits with 0; returns its output. */
  public String succeed(Path workingDir, String... args) {
    Result result = run(workingDir, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          path
              + " "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ": "
              + result.output());
    }
    return result.output();
  }

  public record Result(int exitCode, String output) {}
}
