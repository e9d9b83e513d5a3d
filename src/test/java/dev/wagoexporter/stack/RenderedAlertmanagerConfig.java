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
    List<String> command = command(shell, settings, RepoPaths.ALERTMANAGER_DIR, outDir);
    return new ExternalTool(Path.of(command.get(0)))
        .run(RepoPaths.ROOT, command.subList(1, command.size()).toArray(String[]::new));
  }

  /**
   * The command line that runs the script under {@code shell} with {@code settings}, templates from
   * {@code templateDir}, output into {@code outDir}, as {@code env NAME=value... shell
   * entrypoint.sh}: append Alertmanager's command line to have the script start it.
   */
  static List<String> command(
      Shell shell, Map<String, String> settings, Path templateDir, Path outDir) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/env"));
    settings.forEach((name, value) -> command.add(name + "=" + value));
    command.add("AM_TEMPLATE_DIR=" + templateDir);
    command.add("AM_RUN_DIR=" + outDir);
    if (shell == Shell.DASH) {
      command.add(ExternalTool.require("dash", "dash").path().toString());
    } else {
      ExternalTool busybox = ExternalTool.require("busybox", "busybox");
      // the image has busybox's applets and amtool, nothing else, on its PATH
      command.add(
          "PATH=" + busyboxApplets(busybox, outDir.resolveSibling(outDir.getFileName() + "-bin")));
      command.add(busybox.path().toString());
      command.add("sh");
    }
    command.add(ENTRYPOINT.toString());
    return command;
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
      for (String applet :
          List.of(
              "sh", "awk", "sed", "cp", "mkdir", "cat", "grep", "head", "tail", "rm", "sleep")) {
        Path link = bin.resolve(applet);
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, busybox.path());
        }
      }
      Path amtool = bin.resolve("amtool");
      if (!Files.exists(amtool)) {
        Files.createSymbolicLink(
            amtool, ExternalTool.require("amtool", "prometheus-alertmanager").path());
      }
      return bin.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
