package dev.wagoexporter.e2e;

import static dev.wagoexporter.e2e.ProxiedLine.HEAT_PUMP;
import static dev.wagoexporter.e2e.ProxiedLine.METER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.Parity;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.LineTiming;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's problem and its fix in one test: a simulated gateway that mixes up its clients'
 * replies (the Waveshare's behaviour the heat-pump controller logs as {@code request ask for id=5
 * but got id=2}). Two pymodbus masters straight on it, one polling the meter and one the heat pump,
 * get each other's replies and lose polls; the same two masters through the exporter's proxy, the
 * exporter then being the gateway's only client, lose none, and the gateway mixes up nothing more.
 */
class ProxyMixUpIT {
  private static final int POLLS = 30;
  private static final Pattern TALLY =
      Pattern.compile("^unit (\\d+) answered (\\d+) failed (\\d+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void twoMastersStraightOnTheGatewayAreMixedUpAndThroughTheProxyAreNot() throws Exception {
    // the factory line (9600 baud) and a little meter think time, as MixedUpRepliesIT
    MeterSimulator sim =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withUnitIds(Set.of(METER))
                .withHeatPumpUnit(HEAT_PUMP)
                .withLineTiming(new LineTiming(9600, Parity.EVEN, Duration.ofMillis(20)))
                .withMixUpReplies(true));
    Map<Integer, List<Integer>> straight;
    try {
      // a lost poll costs its whole timeout; a shorter one only makes this half quicker
      straight = twoMasters(sim.port(), Duration.ofSeconds(1));
    } catch (RuntimeException | Error e) {
      sim.close();
      throw e;
    }
    long mixedUpStraight = sim.mixedUpReplies();
    assertThat(mixedUpStraight)
        .as("mixed-up replies, two masters straight: %s", straight)
        .isPositive();
    assertThat(straight.get(METER).get(1) + straight.get(HEAT_PUMP).get(1))
        .as("failed polls, two masters straight: %s", straight)
        .isPositive();

    try (ProxiedLine line = ProxiedLine.around(sim, Framing.TCP, dir)) {
      await()
          .atMost(Timeouts.scaled(Duration.ofSeconds(20)))
          .until(() -> line.scrape().up() == 1.0);
      PollWatch polls = new PollWatch(line);
      Map<Integer, List<Integer>> proxied =
          twoMasters(line.proxyPort, Timeouts.scaled(Duration.ofSeconds(3)));
      assertThat(proxied)
          .as("answered and failed polls through the proxy")
          .containsEntry(METER, List.of(POLLS, 0))
          .containsEntry(HEAT_PUMP, List.of(POLLS, 0));
      assertThat(sim.mixedUpReplies())
          .as("the gateway mixes up nothing with one master on it")
          .isEqualTo(mixedUpStraight);
      polls.assertPollsOnTime();
    }
  }

  /** Runs two_masters.py against {@code port}: per unit, polls answered and failed. */
  private Map<Integer, List<Integer>> twoMasters(int port, Duration replyTimeout) {
    ExternalTool.Result result =
        ExternalTool.debianPython3("python3-pymodbus")
            .run(
                dir,
                List.of(),
                Duration.ofMinutes(2),
                Path.of("src/test/resources/sim/two_masters.py").toAbsolutePath().toString(),
                String.valueOf(port),
                String.valueOf(METER),
                String.valueOf(HEAT_PUMP),
                String.valueOf(POLLS),
                String.valueOf(replyTimeout.toMillis() / 1000.0));
    assertThat(result.exitCode())
        .as("%s (needs Debian's python3-pymodbus)", result.output())
        .isZero();
    Map<Integer, List<Integer>> tally = new TreeMap<>();
    Matcher m = TALLY.matcher(result.output());
    while (m.find()) {
      tally.put(
          Integer.parseInt(m.group(1)),
          List.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }
    assertThat(tally).as(result.output()).containsOnlyKeys(METER, HEAT_PUMP);
    return tally;
  }
}
