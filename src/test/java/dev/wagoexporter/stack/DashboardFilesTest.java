package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboards load when provisioned and when imported by hand into another Grafana. */
class DashboardFilesTest {

  @Test
  void stableUidsMatchingTheFileNames() throws Exception {
    Set<String> uids = new HashSet<>();
    for (Path file : DashboardQueries.dashboardFiles()) {
      JsonNode dashboard = DashboardQueries.read(file);
      String uid = dashboard.path("uid").asText();
      assertThat(file.getFileName().toString()).isEqualTo(uid + ".json");
      assertThat(uid).hasSizeLessThanOrEqualTo(40);
      assertThat(uids.add(uid)).as("uid %s used once", uid).isTrue();
      assertThat(dashboard.path("id").isNull())
          .as("%s: id null, so that import creates it", uid)
          .isTrue();
    }
    assertThat(uids).containsExactlyInAnyOrder("wago-energy", "wago-wall");
  }

  @Test
  void noImportOnlyInputsAndEveryQueryUsesTheDatasourceVariable() throws Exception {
    for (Path file : DashboardQueries.dashboardFiles()) {
      String text = Files.readString(file);
      assertThat(text).as(file.toString()).doesNotContain("${DS_", "__inputs");
      JsonNode dashboard = DashboardQueries.read(file);
      List<String> wrong = new ArrayList<>();
      for (JsonNode panel : DashboardQueries.panels(dashboard)) {
        if ("row".equals(panel.path("type").asText())) {
          continue;
        }
        if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
          wrong.add(panel.path("title").asText());
        }
        for (JsonNode target : panel.path("targets")) {
          if (!"${datasource}".equals(target.path("datasource").path("uid").asText())) {
            wrong.add(panel.path("title").asText() + "/" + target.path("refId").asText());
          }
        }
      }
      assertThat(wrong)
          .as("%s: panels or targets not on ${datasource}", file.getFileName())
          .isEmpty();
    }
  }

  @Test
  void datasourceMeterAndPriceVariables() throws Exception {
    for (Path file : DashboardQueries.dashboardFiles()) {
      JsonNode variables = DashboardQueries.read(file).path("templating").path("list");
      assertThat(variables)
          .extracting(v -> v.path("name").asText() + ":" + v.path("type").asText())
          .as(file.getFileName().toString())
          .contains("datasource:datasource", "meter:query", "price_per_kwh:textbox");
      for (JsonNode variable : variables) {
        if (variable.path("name").asText().equals("datasource")) {
          assertThat(variable.path("query").asText()).isEqualTo("prometheus");
          assertThat(variable.path("current").path("value").asText())
              .as("provisioned data source uid")
              .isEqualTo(provisionedDatasourceUid());
        }
      }
      assertThat(
              Double.parseDouble(
                  DashboardQueries.variableDefault(DashboardQueries.read(file), "price_per_kwh")))
          .isPositive();
    }
  }

  /**
   * Prometheus 3 range windows are left-open: at the 30 s scrape a {@code [$__interval]} of 30 s
   * holds one sample or none, and the panel shows gaps. A panel that windows by {@code $__interval}
   * sets a minimum interval of at least two scrapes.
   */
  @Test
  void intervalWindowsHoldAtLeastTwoScrapes() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Path file : DashboardQueries.dashboardFiles()) {
      for (JsonNode panel : DashboardQueries.panels(DashboardQueries.read(file))) {
        boolean windowsByInterval = false;
        for (JsonNode target : panel.path("targets")) {
          windowsByInterval |= target.path("expr").asText().contains("[$__interval]");
        }
        String min = panel.path("interval").asText("");
        if (windowsByInterval
            && !(min.matches("\\d+[hd]") || (min.matches("\\d+m") && !min.equals("0m")))) {
          wrong.add(
              file.getFileName()
                  + ": "
                  + panel.path("title").asText()
                  + " (interval '"
                  + min
                  + "')");
        }
      }
    }
    assertThat(wrong)
        .as("panels windowing by $__interval without a minimum interval of 1m or more")
        .isEmpty();
  }

  @Test
  void dailyBarsAreLabelledByTheDayTheyCover() throws Exception {
    List<DashboardQueries.PanelQuery> daily =
        DashboardQueries.all().stream().filter(q -> q.expr().contains("[1d]")).toList();
    assertThat(daily)
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.expr()).as(q.where()).contains("[1d] offset -1d"));
    List<DashboardQueries.PanelQuery> hourly =
        DashboardQueries.all().stream().filter(q -> q.expr().contains("[1h]")).toList();
    assertThat(hourly)
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.expr()).as(q.where()).contains("[1h] offset -1h"));
  }

  @Test
  void periodTotalsUseCalendarPeriodsNotRollingWindows() throws Exception {
    for (Path file : DashboardQueries.dashboardFiles()) {
      for (JsonNode panel : DashboardQueries.panels(DashboardQueries.read(file))) {
        boolean usesRange = panel.path("targets").toString().contains("$__range");
        if (usesRange) {
          assertThat(panel.path("timeFrom").asText())
              .as(panel.path("title").asText())
              .isIn("now/d", "now/M");
          assertThat(panel.path("targets").get(0).path("instant").asBoolean()).isTrue();
        }
      }
    }
  }

  private static String provisionedDatasourceUid() throws Exception {
    String provisioning =
        Files.readString(
            RepoPaths.ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(provisioning).contains("timeInterval: 30s");
    return provisioning
        .lines()
        .filter(l -> l.strip().startsWith("uid:"))
        .findFirst()
        .orElseThrow()
        .strip()
        .substring("uid:".length())
        .strip();
  }
}
