package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped prometheus.yml's drop-in directory (targets.d) in a real Prometheus: two files as
 * docs/stack.md writes them for the user's sibling stacks, each with its own job, one with its own
 * metrics path. The siblings are stand-ins: loopback HTTP servers answering with the metric names
 * the real iot-api and lg_r290_service serve.
 */
class SiblingTargetsIT {
  @TempDir Path workDir;

  private static HttpServer serve(String path, String body) throws IOException {
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.onLoopback()), 0);
    server.createContext(
        path,
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(
              exchange.getRequestURI().getPath().equals(path) ? 200 : 404, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachDropInFileBringsItsOwnJobAndPath() throws Exception {
    ExternalTool binary = ExternalTool.require("prometheus", "prometheus");
    HttpServer iotApi =
        serve(
            "/metrics",
            """
            sensor_temperature_celsius{sensor_name="temp_outdoor"} -3.5
            sensor_humidity_percent{sensor_name="temp_outdoor"} 81
            """);
    HttpServer heatPump =
        serve(
            "/api/metrics",
            "heatpump_flow_temperature_celsius 34.5\nheatpump_compressor_running 1\n");
    try {
      Path targets = Files.createDirectories(workDir.resolve("targets.d"));
      Files.writeString(
          targets.resolve("iot-api.yml"),
          """
          - targets: ["127.0.0.1:%d"]
            labels: {job: iot-api}
          """
              .formatted(iotApi.getAddress().getPort()));
      Files.writeString(
          targets.resolve("lg_r290.yml"),
          """
          - targets: ["127.0.0.1:%d"]
            labels: {job: lg_r290, __metrics_path__: /api/metrics}
          """
              .formatted(heatPump.getAddress().getPort()));
      try (PrometheusProcess prometheus =
          StackPrometheus.start(
              binary,
              workDir,
              "127.0.0.1:1",
              config -> {
                for (Map<String, Object> job :
                    (List<Map<String, Object>>) config.get("scrape_configs")) {
                  if ("targets.d".equals(job.get("job_name"))) {
                    for (Map<String, Object> fileSd :
                        (List<Map<String, Object>>) job.get("file_sd_configs")) {
                      fileSd.put("files", List.of(targets.resolve("*.yml").toString()));
                    }
                  }
                }
              })) {
        await()
            .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () ->
                    assertThat(values(prometheus, "up{job=~\"iot-api|lg_r290\"}"))
                        .as("Prometheus log:%n%s", prometheus.log())
                        .containsOnly(1.0)
                        .hasSize(2));
        assertThat(
                values(
                    prometheus,
                    "sensor_temperature_celsius{job=\"iot-api\",sensor_name=\"temp_outdoor\"}"))
            .containsExactly(-3.5);
        assertThat(values(prometheus, "heatpump_flow_temperature_celsius{job=\"lg_r290\"}"))
            .containsExactly(34.5);
        assertThat(values(prometheus, "up{job=\"targets.d\"}"))
            .as("no target keeps the catch-all job")
            .isEmpty();
      }
    } finally {
      iotApi.stop(0);
      heatPump.stop(0);
    }
  }

  /** The shipped rules look only at our own jobs, so a sibling that is down alerts nobody here. */
  @Test
  @SuppressWarnings("unchecked")
  void everyRuleOnUpSelectsTheWagoJob() throws Exception {
    List<String> unscoped = new ArrayList<>();
    Pattern up = Pattern.compile("\\bup\\b(\\{[^}]*\\})?");
    try (var files = Files.list(RepoPaths.PROMETHEUS_DIR.resolve("rules"))) {
      for (Path file : files.toList()) {
        Map<String, Object> rules =
            (Map<String, Object>)
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
          for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
            Matcher selector = up.matcher(String.valueOf(rule.get("expr")));
            while (selector.find()) {
              if (selector.group(1) == null || !selector.group(1).contains("job=\"wago\"")) {
                unscoped.add(file.getFileName() + ": " + selector.group());
              }
            }
          }
        }
      }
    }
    assertThat(unscoped).isEmpty();
  }

  private static List<Double> values(PrometheusProcess prometheus, String query) throws Exception {
    List<Double> values = new ArrayList<>();
    JsonNode result =
        prometheus
            .instantQuery(query, System.currentTimeMillis() / 1000)
            .path("data")
            .path("result");
    result.forEach(series -> values.add(series.path("value").path(1).asDouble()));
    return values;
  }
}
