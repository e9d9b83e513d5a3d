package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.ConfigLoader;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several meters on several gateways in one exporter, from a config file, over real loopback
 * sockets: gateway A (Modbus TCP) carries the house and heat pump meters and a unit id where no
 * meter answers; gateway B (RTU over TCP) carries the wallbox; gateway C does not exist.
 */
class MultiMeterEndToEndIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(20));
  private static final Set<String> POLLED = Set.of("house", "heat_pump", "wallbox");

  @TempDir Path dir;
  private MeterSimulator gatewayA;
  private MeterSimulator gatewayB;
  private Exporter exporter;
  private Profile profile;

  @BeforeEach
  void start() throws Exception {
    gatewayA =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withPort(0)
                .withFraming(Framing.TCP)
                .withUnitIds(Set.of(1, 2))
                .withClock(Harness.FIXED));
    gatewayB =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withPort(0)
                .withFraming(Framing.RTU_OVER_TCP)
                .withUnitIds(Set.of(3))
                .withClock(Harness.FIXED));
    int deadPort = FreePort.onLoopback();
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        listen: "127.0.0.1:%d"
        meters:
          - {name: house, unit_id: 1, poll_interval: 1s, timeout: 300ms,
             gateway: {host: 127.0.0.1, port: %d, framing: tcp, request_pause: 20ms}}
          - {name: heat_pump, unit_id: 2, poll_interval: 1s, timeout: 300ms,
             gateway: {host: 127.0.0.1, port: %d, framing: tcp, request_pause: 20ms}}
          - {name: ghost, unit_id: 9, poll_interval: 1s, timeout: 300ms,
             gateway: {host: 127.0.0.1, port: %d, framing: tcp, request_pause: 20ms}}
          - {name: wallbox, unit_id: 3, poll_interval: 1s, timeout: 300ms,
             gateway: {host: 127.0.0.1, port: %d, framing: rtu-over-tcp}}
          - {name: garage, unit_id: 1, poll_interval: 1s, timeout: 300ms,
             gateway: {host: 127.0.0.1, port: %d}}
        """
            .formatted(
                FreePort.onLoopback(),
                gatewayA.port(),
                gatewayA.port(),
                gatewayA.port(),
                gatewayB.port(),
                deadPort));
    ExporterConfig loaded = ConfigLoader.load(config, ProfileLoader.builtInNames());
    assertThat(loaded.metersByBus()).hasSize(3);
    exporter = Exporter.start(loaded, TimeSource.system());
    profile = exporter.meters().get(0).profile();
  }

  @AfterEach
  void stop() {
    exporter.close();
    gatewayA.close();
    gatewayB.close();
  }

  private Scrape scrape() {
    return Scrape.of(exporter.httpPort());
  }

  private static double up(Scrape scrape, String meter) {
    return scrape.series().getOrDefault("wago_up{meter=\"" + meter + "\"}", Double.NaN);
  }

  private static Map<String, Double> deviceSeriesOf(Scrape scrape, String meter) {
    Map<String, Double> result = new TreeMap<>();
    ExporterEndToEndIT.deviceSeries(scrape)
        .forEach(
            (k, v) -> {
              if (k.contains("meter=\"" + meter + "\"")) {
                result.put(k, v);
              }
            });
    return result;
  }

  @Test
  void everyMeterIsPolledWithItsOwnValuesAndLabel() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Scrape s = scrape();
              assertThat(POLLED)
                  .allSatisfy(m -> assertThat(up(s, m)).as("wago_up of %s", m).isEqualTo(1.0));
              assertThat(s.get("wago_modbus_errors_total{meter=\"ghost\",reason=\"timeout\"}"))
                  .isPositive();
              assertThat(s.get("wago_modbus_errors_total{meter=\"garage\",reason=\"connection\"}"))
                  .isPositive();
            });
    Scrape scrape = scrape();
    assertThat(deviceSeriesOf(scrape, "house"))
        .isEqualTo(Harness.expectedValues(profile, gatewayA.meter(1), "house", false));
    assertThat(deviceSeriesOf(scrape, "heat_pump"))
        .isEqualTo(Harness.expectedValues(profile, gatewayA.meter(2), "heat_pump", false));
    assertThat(deviceSeriesOf(scrape, "wallbox"))
        .isEqualTo(Harness.expectedValues(profile, gatewayB.meter(3), "wallbox", false));
    // the meters really differ, so a value served under the wrong label could not pass the checks
    // above
    assertThat(gatewayA.meter(1).floatAt(0x5012)).isNotEqualTo(gatewayA.meter(2).floatAt(0x5012));
    // every device sample belongs to one of the polled meters: none unlabelled, none from the dead
    // ones
    assertThat(ExporterEndToEndIT.deviceSeries(scrape).keySet())
        .allSatisfy(k -> assertThat(POLLED).anyMatch(m -> k.contains("meter=\"" + m + "\"")));
    assertThat(up(scrape, "ghost")).isZero();
    assertThat(up(scrape, "garage")).isZero();
    assertThat(scrape.series().keySet())
        .filteredOn(k -> k.startsWith("wago_meter_info{"))
        .hasSize(3)
        .anyMatch(k -> k.contains("meter=\"wallbox\""));
  }

  @Test
  void aDeadGatewayLeavesTheOthersFresh() throws Exception {
    await()
        .atMost(WAIT)
        .until(() -> up(scrape(), "wallbox") == 1.0 && up(scrape(), "house") == 1.0);
    gatewayB.close();
    await().atMost(WAIT).until(() -> up(scrape(), "wallbox") == 0.0);
    assertThat(deviceSeriesOf(scrape(), "wallbox"))
        .as("values of a meter whose poll failed")
        .isEmpty();

    // For several intervals after B died, the meters on A keep being polled on their own schedule:
    // each scrape sees
    // a last success younger than one interval plus the poll itself, and all their values.
    List<String> late = new ArrayList<>();
    long end = System.currentTimeMillis() + 4 * INTERVAL.toMillis();
    while (System.currentTimeMillis() < end) {
      Scrape s = scrape();
      double now = System.currentTimeMillis() / 1000.0;
      for (String meter : List.of("house", "heat_pump")) {
        double age = now - s.get("wago_last_success_timestamp_seconds{meter=\"" + meter + "\"}");
        if (age > INTERVAL.toMillis() / 1000.0 + 0.5 || deviceSeriesOf(s, meter).size() < 40) {
          late.add(
              meter
                  + " "
                  + String.format("%.2f", age)
                  + " s old, "
                  + deviceSeriesOf(s, meter).size()
                  + " values");
        }
      }
      Thread.sleep(150);
    }
    assertThat(late).as("scrapes where a live meter's values were stale or missing").isEmpty();
    assertThat(up(scrape(), "ghost")).isZero();
  }
}
