package dev.wagoexporter.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.testsupport.QueryApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every PromQL expression of every panel of the shipped Grafana dashboards. */
final class DashboardQueries {
  record PanelQuery(
      String dashboardUid, String panelTitle, String refId, String expr, boolean instant) {
    String where() {
      return dashboardUid + " / \"" + panelTitle + "\" / " + refId;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private DashboardQueries() {}

  static List<Path> dashboardFiles() throws IOException {
    try (var files = Files.list(RepoPaths.DASHBOARDS_DIR)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonNode read(Path dashboard) throws IOException {
    return JSON.readTree(dashboard.toFile());
  }

  static List<PanelQuery> all() throws IOException {
    List<PanelQuery> queries = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode dashboard = read(file);
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          if (target.hasNonNull("expr")) {
            queries.add(
                new PanelQuery(
                    dashboard.path("uid").asText(),
                    panel.path("title").asText(),
                    target.path("refId").asText(),
                    target.path("expr").asText(),
                    target.path("instant").asBoolean()));
          }
        }
      }
    }
    return queries;
  }

  /** Top-level panels and the panels inside rows, collapsed or not. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** The default of a textbox or constant variable, e.g. the price per kWh. */
  static String variableDefault(JsonNode dashboard, String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("query").asText();
      }
    }
    throw new AssertionError(
        "dashboard " + dashboard.path("uid").asText() + " has no variable " + name);
  }

  /**
   * Runs every panel query against {@code store} as Grafana would with the given meter and site
   * selected, and returns one line per query that fails or returns nothing: an empty panel for the
   * user.
   */
  static List<String> failures(QueryApi store, String meter, String site)
      throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    for (PanelQuery query : all()) {
      JsonNode dashboard = read(RepoPaths.DASHBOARDS_DIR.resolve(query.dashboardUid() + ".json"));
      GrafanaVariables variables =
          new GrafanaVariables(meter, variableDefault(dashboard, "price_per_kwh"), site);
      String promql = variables.substitute(query.expr());
      long now = System.currentTimeMillis() / 1000;
      JsonNode answer =
          query.instant()
              ? store.instantQuery(promql, now)
              // a window after the first scrapes, so that every point has history behind it
              : store.rangeQuery(promql, now - 10, now, 2);
      String problem = problem(answer);
      if (problem != null) {
        failures.add(query.where() + ": " + problem + "\n    " + promql);
      }
    }
    return failures;
  }

  /** Null when a query API answer holds data; else what is wrong with it. */
  static String problem(JsonNode answer) {
    if (!"success".equals(answer.path("status").asText())) {
      return answer.path("errorType").asText() + ": " + answer.path("error").asText();
    }
    JsonNode result = answer.path("data").path("result");
    if (result.isEmpty()) {
      return "no data";
    }
    for (JsonNode series : result) {
      if (series.has("values") && series.path("values").isEmpty()) {
        return "a series with no points";
      }
    }
    return null;
  }
}
