package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import dev.wagoexporter.time.TimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped /probe scrape job (deploy/prometheus/examples) in a real Prometheus: targets from a
 * file, the settings of each meter from its __ labels, and the exporter's own meter label intact.
 */
class ProbeScrapeConfigIT {
  private static final Path EXAMPLES = RepoPaths.PROMETHEUS_DIR.resolve("examples");

  @TempDir Path workDir;

  @Test
  @SuppressWarnings("unchecked")
  void prometheusProbesEachListedMeterWithItsSettings() throws Exception {
    ExternalTool binary = ExternalTool.require("prometheus", "prometheus");
    try (MeterSimulator gateway =
            MeterSimulator.start(
                SimulatorOptions.defaults()
                    .withPort(0)
                    .withFraming(Framing.RTU_OVER_TCP)
                    .withUnitIds(Set.of(1, 2)));
        Exporter exporter =
            Exporter.start(
                new ExporterConfig(
                    new ListenAddress("127.0.0.1", FreePort.onLoopback()),
                    false,
                    List.of(
                        new MeterConfig(
                            "configured",
                            MeterConfig.DEFAULT_PROFILE,
                            new GatewayConfig(
                                "127.0.0.1", gateway.port(), Framing.RTU_OVER_TCP, Duration.ZERO),
                            1,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(2),
                            125))),
                TimeSource.system())) {
      String target = "127.0.0.1:" + gateway.port();
      // the shipped targets file's form, pointed at the simulated gateway; one meter without
      // __meter
      Files.writeString(
          workDir.resolve("wago-targets.yml"),
          """
          - targets: ["%1$s"]
            labels: {__unit_id: "1", __framing: rtu-over-tcp, __meter: house}
          - targets: ["%1$s"]
            labels: {__unit_id: "2", __framing: rtu-over-tcp}
          """
              .formatted(target));
      Map<String, Object> example =
          (Map<String, Object>)
              new Load(LoadSettings.builder().build())
                  .loadFromString(Files.readString(EXAMPLES.resolve("probe-scrape-config.yml")));
      Map<String, Object> job = ((List<Map<String, Object>>) example.get("scrape_configs")).get(0);
      job.remove("scrape_timeout"); // the test scrapes every second
      ((List<Map<String, Object>>) job.get("file_sd_configs"))
          .get(0)
          .put("files", List.of(workDir.resolve("wago-targets.yml").toString()));
      for (Map<String, Object> rule : (List<Map<String, Object>>) job.get("relabel_configs")) {
        if ("__address__".equals(rule.get("target_label")) && rule.containsKey("replacement")) {
          rule.put("replacement", "127.0.0.1:" + exporter.httpPort());
        }
      }
      try (PrometheusProcess prometheus =
          StackPrometheus.start(
              binary,
              workDir,
              "127.0.0.1:1",
              config -> ((List<Object>) config.get("scrape_configs")).add(job))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () ->
                    assertThat(meters(prometheus, "wago_up{job=\"wago-probe\"} == 1"))
                        .as("Prometheus log:%n%s", prometheus.log())
                        .containsExactlyInAnyOrder("house", target));
        long now = System.currentTimeMillis() / 1000;
        JsonNode volts =
            prometheus
                .instantQuery(
                    "wago_voltage_volts{job=\"wago-probe\",instance=\"" + target + "\"}", now)
                .path("data")
                .path("result");
        assertThat(volts).hasSize(6);
        assertThat(volts)
            .allSatisfy(
                series -> assertThat(series.path("metric").has("exported_meter")).isFalse());
        // different meters behind one gateway, so neither unit's values could stand in for the
        // other's
        JsonNode power =
            prometheus
                .instantQuery("wago_system_active_power_watts{job=\"wago-probe\"}", now)
                .path("data")
                .path("result");
        assertThat(power).hasSize(2);
        assertThat(power.get(0).path("value").path(1).asDouble())
            .isNotEqualTo(power.get(1).path("value").path(1).asDouble());
      }
    }
  }

  private static List<String> meters(PrometheusProcess prometheus, String query) throws Exception {
    List<String> meters = new ArrayList<>();
    prometheus
        .instantQuery(query, System.currentTimeMillis() / 1000)
        .path("data")
        .path("result")
        .forEach(series -> meters.add(series.path("metric").path("meter").asText()));
    return meters;
  }
}
