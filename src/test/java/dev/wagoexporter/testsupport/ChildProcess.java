package dev.wagoexporter.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server a test runs as a child process (Prometheus, VictoriaMetrics, the exporter), its output
 * in a log file.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with standard output and error both written to {@code log}. */
  public static ChildProcess start(List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildProcess(process, log);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** What the process wrote so far, for the message of a failing assertion. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Asks the process to stop, and kills it when it has not within 30 seconds (Prometheus flushes
   * its TSDB).
   */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
