package dev.wagoexporter.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A serial line made of pseudo-terminals by Debian's socat: a stand-in for a USB RS485 stick and
 * its cable, which this machine has not. The exporter opens {@link #device()} as it would open
 * {@code /dev/ttyUSB0}; at the other end sits the meter: a second pseudo-terminal ({@link #pair})
 * for a slave that opens a serial device itself, or a TCP connection ({@link #bridgedTo}) to the
 * simulator in RTU-over-TCP framing, so the simulator's RTU framing travels over the line. {@link
 * #unplug()} ends socat, which removes the device as unplugging a stick does.
 */
public final class PtyLine implements AutoCloseable {
  private static final Duration START = Timeouts.scaled(Duration.ofSeconds(10));

  private final ExternalTool socat;
  private final Path device;
  private final Path meterEnd;
  private final List<String> meterAddress;
  private final Path log;
  private Process process;

  private PtyLine(ExternalTool socat, Path device, Path meterEnd, String meterAddress, Path log) {
    this.socat = socat;
    this.device = device;
    this.meterEnd = meterEnd;
    this.meterAddress = List.of(meterAddress);
    this.log = log;
  }

  /**
   * Two pseudo-terminals joined: the exporter opens {@link #device()}, the slave {@link
   * #meterEnd()}.
   */
  public static PtyLine pair(Path dir) throws IOException {
    Path meter = dir.resolve("meter-tty");
    PtyLine line =
        new PtyLine(
            ExternalTool.require("socat", "socat"),
            dir.resolve("ttyUSB0"),
            meter,
            pty(meter),
            dir.resolve("socat.log"));
    line.plugIn();
    return line;
  }

  /** A pseudo-terminal whose other end is a TCP connection to {@code port} on loopback. */
  public static PtyLine bridgedTo(int port, Path dir) throws IOException {
    PtyLine line =
        new PtyLine(
            ExternalTool.require("socat", "socat"),
            dir.resolve("ttyUSB0"),
            null,
            "TCP:127.0.0.1:" + port,
            dir.resolve("socat.log"));
    line.plugIn();
    return line;
  }

  private static String pty(Path link) {
    return "PTY,link=" + link + ",raw,echo=0";
  }

  /** The device the exporter opens: a link to the pseudo-terminal, as /dev/serial/by-id/ are. */
  public Path device() {
    return device;
  }

  /** The meter's end of a {@link #pair}. */
  public Path meterEnd() {
    if (meterEnd == null) {
      throw new IllegalStateException("a bridged line has no meter-side device");
    }
    return meterEnd;
  }

  /** Starts socat and waits for its devices to appear. */
  public void plugIn() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already plugged in");
    }
    List<String> command = new ArrayList<>(List.of(socat.path().toString(), pty(device)));
    command.addAll(meterAddress);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    await("socat's devices " + device)
        .atMost(START)
        .until(
            () ->
                Files.exists(device)
                    && (meterEnd == null || Files.exists(meterEnd))
                    && process.isAlive());
  }

  /** Ends socat: its devices vanish, as a stick's does when it is pulled out. */
  public void unplug() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    process = null;
    await("socat removes " + device).atMost(START).until(() -> !Files.exists(device));
  }

  /** What socat logged, for the message of a failing assertion. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    unplug();
  }
}
