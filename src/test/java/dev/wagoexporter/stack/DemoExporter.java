package dev.wagoexporter.stack;

import dev.wagoexporter.testsupport.ChildProcess;
import dev.wagoexporter.testsupport.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `wago-exporter demo` (exporter plus simulated meter) as a child process on a loopback port. */
final class DemoExporter implements AutoCloseable {
  private final ChildProcess process;
  final int port;

  private DemoExporter(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Runs the exporter from the test's own class path, so it is the code under test. */
  static DemoExporter startFromClassPath(Path workDir) throws IOException {
    int port = FreePort.onLoopback();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.wagoexporter.cli.Main"));
    command.addAll(demoArgs(port));
    return start(command, workDir.resolve("exporter.log"), port);
  }

  static List<String> demoArgs(int port) {
    return List.of("demo", "--listen", "127.0.0.1:" + port, "--poll-interval", "1s");
  }

  static DemoExporter start(List<String> command, Path log, int port) throws IOException {
    return new DemoExporter(ChildProcess.start(command, log), port);
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  boolean alive() {
    return process.alive();
  }

  String log() {
    return process.log();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
