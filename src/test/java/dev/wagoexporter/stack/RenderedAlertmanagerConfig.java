package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * deploy/alertmanager rendered by its own entrypoint.sh, as the alertmanager container does at
 * start, with the {@code ALERT_*} settings a user puts in .env.
 */
final class RenderedAlertmanagerConfig {
  static final Path ENTRYPOINT = RepoPaths.ALERTMANAGER_DIR.resolve("entrypoint.sh");

  /** The shells the script meets: busybox in the official image, dash in Debian's stand-in. */
  enum Shell {
    BUSYBOX,
    DASH
  }

  private RenderedAlertmanagerConfig() {}

  /** Runs the script without arguments (render only) into {@code outDir}. */
  static ExternalTool.Result run(Shell shell, Map<String, String> settings, Path outDir) {
    List<String> env = new ArrayList<>();
    settings.forEach((name, value) -> env.add(name + "=" + value));
    env.add("AM_TEMPLATE_DIR=" + RepoPaths.ALERTMANAGER_DIR);
    env.add("AM_RUN_DIR=" + outDir);
    if (shell == Shell.DASH) {
      return ExternalTool.require("dash", "dash").run(RepoPaths.ROOT, env, ENTRYPOINT.toString());
    }
    ExternalTool busybox = ExternalTool.require("busybox", "busybox");
    // the image has busybox's applets and nothing else on its PATH
    env.add(
        "PATH=" + busyboxApplets(busybox, outDir.resolveSibling(outDir.getFileName() + "-bin")));
    return busybox.run(RepoPaths.ROOT, env, "sh", ENTRYPOINT.toString());
  }

  /** Renders and fails the test unless the script succeeds; returns the rendered config. */
  static Path render(Shell shell, Map<String, String> settings, Path outDir) {
    ExternalTool.Result result = run(shell, settings, outDir);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return outDir.resolve("alertmanager.yml");
  }

  private static String busyboxApplets(ExternalTool busybox, Path bin) {
    try {
      Files.createDirectories(bin);
      for (String applet : List.of("sh", "awk", "sed", "cp", "mkdir", "cat")) {
        Path link = bin.resolve(applet);
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, busybox.path());
        }
      }
      return bin.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
