package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN §9: SIGTERM (Docker's stop) and SIGINT (Ctrl-C) end the exporter within 1 s even while a
 * Modbus read is in flight; Docker's grace is 10 s, and the old exporter waited for the read's
 * timeout. The real jar runs as a child process against a stand-in gateway that reads requests and
 * never answers, so a read is always in flight (the poll timeout is 20 s).
 *
 * <p>The bound: the exporter logs how long its shutdown took, which must be under 1 s; the whole
 * process exit, JVM teardown included, gets 1 s plus 1 s for a busy machine (scaled by {@link
 * Timeouts}), still far below the 20 s the read would have waited.
 */
class ShutdownIT {
  private static final Pattern STOPPED = Pattern.compile("wago-exporter stopped in (\\d+) ms");

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void signalEndsTheExporterWithinASecondDuringARead(String signal, @TempDir Path tmp)
      throws Exception {
    try (ServerSocket gateway = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      AtomicLong requestBytes = new AtomicLong();
      Thread swallow =
          new Thread(
              () -> {
                try (Socket s = gateway.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buffer = new byte[256];
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    requestBytes.addAndGet(n);
                  }
                } catch (IOException e) {
                  // the exporter closed the connection
                }
              },
              "silent-gateway");
      swallow.setDaemon(true);
      swallow.start();
      Path log = tmp.resolve("exporter.log");
      Process exporter =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-jar",
                      Path.of("target/wago-exporter.jar").toAbsolutePath().toString(),
                      "run",
                      "--gateway",
                      "127.0.0.1:" + gateway.getLocalPort(),
                      "--framing",
                      "tcp",
                      "--listen",
                      "127.0.0.1:" + FreePort.onLoopback(),
                      "--poll-interval",
                      "60s",
                      "--timeout",
                      "20s"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        await()
            .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
            .until(() -> requestBytes.get() > 0 || !exporter.isAlive());
        assertThat(exporter.isAlive()).as(Files.readString(log)).isTrue();
        await()
            .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
            .until(() -> Files.readString(log).contains("serving http://127.0.0.1:"));
        // the read is in flight: the gateway got the request and will not answer for 20 s
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-" + signal, Long.toString(exporter.pid())).start().waitFor();
        boolean exited =
            exporter.waitFor(
                Timeouts.scaled(Duration.ofSeconds(2)).toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String output = Files.readString(log);
        assertThat(exited)
            .as("exited after SIG%s; took %s; log:%n%s", signal, took, output)
            .isTrue();
        Matcher stopped = STOPPED.matcher(output);
        assertThat(stopped.find()).as(output).isTrue();
        assertThat(Long.parseLong(stopped.group(1))).as(output).isLessThan(1000);
      } finally {
        exporter.destroyForcibly();
        exporter.waitFor();
      }
    }
  }
}
