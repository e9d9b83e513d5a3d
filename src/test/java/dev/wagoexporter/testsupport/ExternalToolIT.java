package dev.wagoexporter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner every test uses for command-line tools: output, exit code, and a limit that holds. */
class ExternalToolIT {
  @TempDir Path dir;

  @Test
  void returnsExitCodeAndBothOutputs() {
    ExternalTool sh = ExternalTool.require("sh", "dash");
    ExternalTool.Result result = sh.run(dir, "-c", "echo out; echo err >&2; exit 3");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).contains("out", "err");
  }

  @Test
  void keepsOutputLargerThanAPipeHolds() {
    ExternalTool sh = ExternalTool.require("sh", "dash");
    ExternalTool.Result result = sh.run(dir, "-c", "head -c 300000 /dev/zero | tr '\\0' x");
    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).hasSize(300_000);
  }

  /**
   * A tool that hangs (here one that also leaves a child holding its output open) is killed at its
   * limit and fails the test with what it wrote, instead of blocking the build for as long as it
   * hangs: before, the output was read to its end first, and the limit never fired.
   */
  @Test
  void aHungToolFailsAtItsLimit() {
    ExternalTool sh = ExternalTool.require("sh", "dash");
    AssertionError error =
        assertTimeoutPreemptively(
            // far below the 600 s the tool would hang, far above the limit on any machine
            Duration.ofSeconds(120),
            () -> {
              try {
                sh.run(
                    dir,
                    List.of(),
                    Duration.ofMillis(500),
                    "-c",
                    "echo started; sleep 600 & sleep 600");
              } catch (AssertionError e) {
                return e;
              }
              throw new IllegalStateException("a tool that sleeps 600 s ended within its limit");
            });
    assertThat(error).hasMessageContaining("did not finish within").hasMessageContaining("started");
  }

  @Test
  void aMissingToolSaysWhichPackageHasIt() {
    // outside CI a missing tool skips the test; in CI it fails it: both name the package
    assertThatThrownBy(() -> ExternalTool.require("no-such-tool-wago", "wago-tools"))
        .hasMessageContaining("no-such-tool-wago not found on PATH")
        .hasMessageContaining("apt-get install wago-tools");
  }
}
