package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and rules against a real Prometheus scraping the demo exporter: every panel's
 * query and every recording rule must parse and return data. A query that returns nothing would be
 * an empty panel for the user, so it fails the test.
 */
class StackQueriesIT {
  @TempDir static Path workDir;
  private static DemoExporter exporter;
  private static PrometheusProcess prometheus;

  @BeforeAll
  static void startStack() throws Exception {
    ExternalTool binary = ExternalTool.require("prometheus", "prometheus");
    exporter = DemoExporter.startFromClassPath(workDir);
    prometheus = StackPrometheus.start(binary, workDir, exporter.target());
    await("Prometheus ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(prometheus::ready);
    // enough scrapes for increase() and rate() windows, and recorded series from the rules
    await("the demo meter scraped and polled")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(exporter.alive())
                  .as("exporter process alive; its log:%n%s", exporter.log())
                  .isTrue();
              JsonNode up =
                  prometheus
                      .instantQuery("count_over_time(wago_up{job=\"wago\"}[1m]) >= 15", now())
                      .path("data")
                      .path("result");
              assertThat(up)
                  .as("15 scrapes of wago_up; Prometheus log:%n%s", prometheus.log())
                  .isNotEmpty();
            });
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  void meterVariableFindsTheDemoMeter() throws Exception {
    JsonNode meters = prometheus.api("/api/v1/label/meter/values", Map.of("match[]", "wago_up"));
    assertThat(meters.path("data")).extracting(JsonNode::asText).containsExactly("main");
  }

  @Test
  void everyDashboardQueryReturnsData() throws Exception {
    assertThat(DashboardQueries.all()).hasSizeGreaterThan(30);
    assertThat(DashboardQueries.failures(prometheus, "main", GrafanaVariables.ALL_SITES))
        .as("panel queries that fail or return nothing")
        .isEmpty();
  }

  @Test
  void everyRecordingRuleReturnsDataAndIsRecorded() throws Exception {
    List<String> failures = new ArrayList<>();
    for (ShippedRules.Rule rule : ShippedRules.load()) {
      if (rule.isAlert()) {
        continue;
      }
      String problem = problem(prometheus.instantQuery(rule.expr(), now()));
      if (problem != null) {
        failures.add(rule.name() + " (expression): " + problem);
      }
      // recorded by Prometheus' own rule evaluation, not just computable
      String recorded = problem(prometheus.instantQuery(rule.name(), now()));
      if (recorded != null) {
        failures.add(rule.name() + " (recorded series): " + recorded);
      }
    }
    assertThat(failures).as("recording rules that fail or return nothing").isEmpty();
  }

  @Test
  void everyRuleLoadsAndEvaluatesWithoutError() throws Exception {
    JsonNode groups = prometheus.api("/api/v1/rules", Map.of()).path("data").path("groups");
    List<String> loaded = new ArrayList<>();
    List<String> unhealthy = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        loaded.add(rule.path("name").asText());
        if (!"ok".equals(rule.path("health").asText())) {
          unhealthy.add(
              rule.path("name").asText()
                  + ": "
                  + rule.path("health").asText()
                  + " "
                  + rule.path("lastError").asText());
        }
      }
    }
    assertThat(loaded)
        .containsExactlyInAnyOrderElementsOf(
            ShippedRules.load().stream().map(ShippedRules.Rule::name).toList());
    assertThat(unhealthy).isEmpty();
  }

  @Test
  void noAlertFiresOnAHealthyDemoMeter() throws Exception {
    JsonNode alerts = prometheus.instantQuery("ALERTS", now()).path("data").path("result");
    assertThat(alerts).as("a healthy simulated meter trips no alert").isEmpty();
  }

  private static String problem(JsonNode answer) {
    return DashboardQueries.problem(answer);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
