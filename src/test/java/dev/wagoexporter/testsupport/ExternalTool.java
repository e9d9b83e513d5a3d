package dev.wagoexporter.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from a Debian package (promtool, prometheus, docker-compose, sqlite3), found
 * on PATH: the one way tests find and run tools. Missing tools skip the test on a developer machine
 * but fail it in CI (CI=true), where .ci/run installs them.
 */
public record ExternalTool(Path path) {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  public static ExternalTool require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue; // the shell's "current directory"; a test never means that
      }
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

  /**
   * Debian's python3, for scripts that import Debian's python3-* modules (python3-pymodbus): those
   * are installed for /usr/bin/python3 only, and a python3 found first on PATH (pyenv's shim on
   * this machine kind) cannot import them.
   */
  public static ExternalTool debianPython3(String debianPackage) {
    Path system = Path.of("/usr/bin/python3");
    return Files.isExecutable(system)
        ? new ExternalTool(system)
        : require("python3", debianPackage);
  }

  public Result run(Path workingDir, String... args) {
    return run(workingDir, List.of(), args);
  }

  /** Runs to completion (at most two minutes, scaled); {@code env} holds NAME=value pairs. */
  public Result run(Path workingDir, List<String> env, String... args) {
    return run(workingDir, env, DEFAULT_TIMEOUT, args);
  }

  /**
   * Runs to completion; kills the tool and fails the test when it has not ended within {@code
   * timeout} (scaled by {@link Timeouts}).
   */
  public Result run(Path workingDir, List<String> env, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    for (String pair : env) {
      int eq = pair.indexOf('=');
      builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return runToEnd(builder, timeout);
  }

  /**
   * Runs {@code builder}'s command to its end with standard output and error into one temporary
   * file, not a pipe: reading a pipe to its end would wait as long as a hung tool (or a child it
   * left behind holding the pipe) runs, so the time limit could never fire. After {@code timeout}
   * (scaled by {@link Timeouts}) the tool and its children are killed and the test fails with what
   * the tool wrote so far.
   */
  public static Result runToEnd(ProcessBuilder builder, Duration timeout) {
    Duration limit = Timeouts.scaled(timeout);
    Path output = null;
    try {
      output = Files.createTempFile("wago-tool-", ".log");
      builder.redirectErrorStream(true).redirectOutput(output.toFile());
      Process process = builder.start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        // children first, while the tree still leads to them
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            builder.command()
                + " did not finish within "
                + limit
                + " and was killed; its output so far: "
                + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + builder.command() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + builder.command(), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a leftover temporary file does no harm
        }
      }
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
