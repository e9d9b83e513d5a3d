package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wagoexporter.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole stack on Debian's Docker 20.10 and docker-compose 1.29, amd64 and arm64 (QEMU):
 * deploy/test/stack-test.sh does the work and says what it checks. It runs in CI (CI=true), where
 * .ci/run installs the packages, and fails there if one is missing. Locally it runs only when asked
 * for (-Dstack.test or STACK_TEST=1): it takes about half an hour (arm64 under QEMU) and starts
 * dockerd as root.
 */
class StackDockerIT {
  private static final Path SCRIPT = RepoPaths.ROOT.resolve("deploy/test/stack-test.sh");

  @Test
  void stackBuildsAndRunsOnTheUsersOwnDocker() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean asked =
        System.getProperty("stack.test") != null || "1".equals(System.getenv("STACK_TEST"));
    assumeTrue(
        ci || asked,
        "the stack test runs in CI; locally: mvn -B verify -Dit.test=StackDockerIT -Dstack.test, or "
            + SCRIPT);
    ExternalTool.require("dockerd", "docker.io");
    ExternalTool.require("docker-compose", "docker-compose");
    ExternalTool.require("debootstrap", "debootstrap");
    ExternalTool.require("qemu-aarch64-static", "qemu-user-static");
    // the migration case makes the old stack's Prometheus history and Grafana database with them
    ExternalTool.require("promtool", "prometheus");
    ExternalTool.require("sqlite3", "sqlite3");

    Path log = RepoPaths.ROOT.resolve("target/stack-test.log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(SCRIPT.toString())
            .directory(RepoPaths.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = process.waitFor(60, TimeUnit.MINUTES);
    if (!finished) {
      process.destroy();
    }
    String output = Files.readString(log);
    assertThat(finished).as("stack test finished; its log: %s", log).isTrue();
    assertThat(process.exitValue()).as("stack-test.sh failed:%n%s", tail(output)).isZero();
    assertThat(output).contains("stack test passed");
  }

  private static String tail(String output) {
    return output.substring(Math.max(0, output.length() - 6000));
  }
}
