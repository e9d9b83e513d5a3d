package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Many sites into one central store, end to end on loopback: a real Prometheus (the shipped
 * prometheus.yml plus the shipped edge settings, deploy/central/edge-remote-write.yml) scrapes the
 * demo exporter and remote-writes to a real VictoriaMetrics; the shipped dashboards' queries then
 * run against VictoriaMetrics' Prometheus API.
 */
class RemoteWriteEndToEndIT {
  static final Path EDGE_SETTINGS = RepoPaths.ROOT.resolve("deploy/central/edge-remote-write.yml");
  private static final String PASSWORD = "test-only-secret";

  @TempDir static Path workDir;
  private static DemoExporter exporter;
  private static PrometheusProcess prometheus;
  private static VictoriaMetricsServer central;
  private static String site;

  @BeforeAll
  static void startSiteAndCentralStore() throws Exception {
    ExternalTool prometheusBinary = ExternalTool.require("prometheus", "prometheus");
    ExternalTool vmBinary = ExternalTool.require("victoria-metrics", "victoria-metrics");
    Map<String, Object> edge = edgeSettings();
    String username = (String) basicAuth(edge).get("username");
    central = VictoriaMetricsServer.start(vmBinary, workDir, username, PASSWORD);
    await("VictoriaMetrics ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(central::ready);
    Path passwordFile = workDir.resolve("remote-write-password");
    Files.writeString(passwordFile, PASSWORD + "\n");

    exporter = DemoExporter.startFromClassPath(workDir);
    prometheus =
        StackPrometheus.start(
            prometheusBinary,
            workDir,
            exporter.target(),
            config -> applyEdgeSettings(config, edge, central.writeUrl(), passwordFile));
    await("Prometheus ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(prometheus::ready);
    // enough remote-written scrapes for the increase() and rate() windows of the panels
    await("samples remote-written to VictoriaMetrics")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(exporter.alive())
                  .as("exporter alive; its log:%n%s", exporter.log())
                  .isTrue();
              JsonNode up =
                  central
                      .instantQuery(
                          "count_over_time(wago_up{job=\"wago\",site=\"" + site + "\"}[1m]) >= 15",
                          System.currentTimeMillis() / 1000)
                      .path("data")
                      .path("result");
              assertThat(up)
                  .as(
                      "15 samples of wago_up in VictoriaMetrics; Prometheus log:%n%s%nVictoriaMetrics log:%n%s",
                      tail(prometheus.log()), tail(central.log()))
                  .isNotEmpty();
            });
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable process : new AutoCloseable[] {prometheus, exporter, central}) {
      if (process != null) {
        process.close();
      }
    }
  }

  @Test
  void everyDashboardQueryReturnsDataForTheSiteFromTheCentralStore() throws Exception {
    assertThat(DashboardQueries.failures(central, "main", site))
        .as("panel queries that fail or return nothing against VictoriaMetrics")
        .isEmpty();
    // the dashboards' All sites too
    assertThat(DashboardQueries.failures(central, "main", GrafanaVariables.ALL_SITES)).isEmpty();
    // and the filter is real: another site's panels are empty, except those that show 0 when
    // nothing matches
    long filtered =
        DashboardQueries.all().stream().filter(q -> !q.expr().contains("or vector(0)")).count();
    assertThat(DashboardQueries.failures(central, "main", "elsewhere"))
        .hasSize((int) filtered)
        .allSatisfy(f -> assertThat(f).contains("no data"));
  }

  @Test
  void theSiteAndMeterVariablesFindTheSite() throws Exception {
    assertThat(central.api("/api/v1/label/site/values", Map.of("match[]", "wago_up")).path("data"))
        .extracting(JsonNode::asText)
        .containsExactly(site);
    assertThat(
            central
                .api(
                    "/api/v1/label/meter/values",
                    Map.of("match[]", "wago_up{site=~\"" + site + "\"}"))
                .path("data"))
        .extracting(JsonNode::asText)
        .containsExactly("main");
  }

  @Test
  void everySeriesArrivesWithTheSiteLabelIncludingRecordedOnes() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode withSite =
        central.instantQuery("count({__name__=~\"wago_.+\",site=\"" + site + "\"})", now);
    assertThat(withSite.path("data").path("result").path(0).path("value").path(1).asDouble())
        .isGreaterThan(40);
    JsonNode withoutSite =
        central.instantQuery("count({__name__=~\"(wago_|meter).+\",site!=\"" + site + "\"})", now);
    assertThat(withoutSite.path("data").path("result"))
        .as("series without the site label")
        .isEmpty();
    // recording rules run on the Pi; their results travel with the raw samples
    assertThat(
            DashboardQueries.problem(
                central.instantQuery(
                    "meter:wago_system_active_energy_import_kwh:increase1h{site=\"" + site + "\"}",
                    now)))
        .isNull();
  }

  @Test
  void theCentralStoreRefusesWritesWithoutThePassword() throws Exception {
    assertThat(central.unauthenticatedWriteStatus()).isEqualTo(401);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> edgeSettings() throws Exception {
    Map<String, Object> edge =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(EDGE_SETTINGS));
    Map<String, Object> labels =
        (Map<String, Object>) ((Map<String, Object>) edge.get("global")).get("external_labels");
    site = (String) labels.get("site");
    assertThat(site).as("the site label in %s", EDGE_SETTINGS).isNotBlank();
    return edge;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> basicAuth(Map<String, Object> edge) {
    return (Map<String, Object>)
        ((List<Map<String, Object>>) edge.get("remote_write")).get(0).get("basic_auth");
  }

  /**
   * Merges the shipped edge settings as docs/multi-site.md says, with the loopback URL and a real
   * password file.
   */
  @SuppressWarnings("unchecked")
  private static void applyEdgeSettings(
      Map<String, Object> config, Map<String, Object> edge, String url, Path passwordFile) {
    Map<String, Object> edgeGlobal = (Map<String, Object>) edge.get("global");
    ((Map<String, Object>) config.get("global"))
        .put("external_labels", edgeGlobal.get("external_labels"));
    List<Map<String, Object>> remoteWrite = (List<Map<String, Object>>) edge.get("remote_write");
    remoteWrite.get(0).put("url", url);
    basicAuth(edge).put("password_file", passwordFile.toString());
    config.put("remote_write", remoteWrite);
  }

  private static String tail(String log) {
    return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
  }
}
