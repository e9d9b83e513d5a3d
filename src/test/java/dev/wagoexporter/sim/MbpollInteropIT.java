package dev.wagoexporter.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.modbus.Framing;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * mbpoll (Debian package mbpoll), a third-party client in C, reads the simulator in both framings.
 * Debian's mbpoll 1.0 has no RTU-over-TCP mode ({@code -m enc} came later), so for that framing
 * socat (Debian package socat) bridges a pseudo-terminal to the socket, like a gateway's virtual
 * COM port, and mbpoll speaks RTU on it.
 */
class MbpollInteropIT {
  private static final Pattern VALUE =
      Pattern.compile("^\\[(\\d+)]:\\s+(-?[0-9.]+)", Pattern.MULTILINE);

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void mbpollReadsPlausibleVoltagesAndFrequency(Framing framing) throws Exception {
    String mbpoll = findTool("mbpoll");
    String socat = framing == Framing.RTU_OVER_TCP ? findTool("socat") : null;
    Process bridge = null;
    try (var sim =
        MeterSimulator.start(
            SimulatorOptions.defaults().withFraming(framing).withUnitIds(java.util.Set.of(2)))) {
      // -r is 1-based: 20483 is wire address 0x5002 (L1 voltage); 4 floats = L1, L2, L3 voltage and
      // frequency
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  mbpoll, "-a", "2", "-r", "20483", "-c", "4", "-t", "4:float", "-B", "-1", "-o",
                  "2"));
      if (framing == Framing.TCP) {
        cmd.addAll(List.of("-m", "tcp", "-p", String.valueOf(sim.port()), "127.0.0.1"));
      } else {
        File pty = File.createTempFile("wago-sim-pty", "");
        pty.delete();
        bridge =
            new ProcessBuilder(socat, "pty,raw,echo=0,link=" + pty, "tcp:127.0.0.1:" + sim.port())
                .redirectErrorStream(true)
                .start();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(5))
            .until(pty::exists);
        cmd.addAll(List.of("-m", "rtu", "-b", "9600", "-P", "even", pty.getPath()));
      }
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("mbpoll finished").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isZero();

      List<Double> values = new ArrayList<>();
      Matcher m = VALUE.matcher(output);
      while (m.find()) {
        values.add(Double.parseDouble(m.group(2)));
      }
      assertThat(values).as(output).hasSize(4);
      assertThat(values.subList(0, 3)).allSatisfy(v -> assertThat(v).isBetween(228.0, 238.0));
      assertThat(values.get(3)).isBetween(49.9, 50.1);
      assertThat(sim.functionCodeCounts()).containsOnlyKeys(3);
    } finally {
      if (bridge != null) {
        bridge.destroy();
        bridge.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static String findTool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (ci) {
      throw new AssertionError(
          name + " is not installed; CI must install the Debian package " + name);
    }
    Assumptions.abort(
        name + " not installed (apt-get install " + name + "); required when CI=true");
    return null;
  }
}
