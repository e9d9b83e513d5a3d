package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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

  /**
   * IEC 60446 phase colours, as the old stack's user chose them: L1 brown, L2 black (Grafana's
   * theme text colour, so it stays readable on the dark theme), L3 grey. Every series a panel names
   * by phase (also "L1 min" and the like) gets its phase's colour, the same in every panel.
   */
  @Test
  void everyPerPhaseSeriesHasItsIecColour() throws Exception {
    Map<String, String> iec = Map.of("L1", "#A0522D", "L2", "text", "L3", "#8C8C8C");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Path file : DashboardQueries.dashboardFiles()) {
      for (JsonNode panel : DashboardQueries.panels(DashboardQueries.read(file))) {
        for (JsonNode target : panel.path("targets")) {
          String legend = target.path("legendFormat").asText();
          if (!legend.contains("{{phase}}")) {
            continue;
          }
          for (Map.Entry<String, String> phase : iec.entrySet()) {
            String series = legend.replace("{{phase}}", phase.getKey());
            String colour = fixedColourOf(panel, series);
            checked++;
            if (!phase.getValue().equals(colour)) {
              wrong.add(
                  file.getFileName()
                      + ": "
                      + panel.path("title").asText()
                      + " / "
                      + series
                      + " is "
                      + colour);
            }
          }
        }
      }
    }
    assertThat(checked).as("per-phase series found in the dashboards").isGreaterThanOrEqualTo(33);
    assertThat(wrong).as("per-phase series without their IEC 60446 colour").isEmpty();
  }

  /** The fixed colour Grafana gives a series: the last override matching its name wins. */
  private static String fixedColourOf(JsonNode panel, String seriesName) {
    String colour = "none (" + panel.path("fieldConfig").path("defaults").path("color") + ")";
    for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
      JsonNode matcher = override.path("matcher");
      String options = matcher.path("options").asText();
      boolean matches =
          switch (matcher.path("id").asText()) {
            case "byName" -> options.equals(seriesName);
            case "byRegexp" -> Pattern.compile(options).matcher(seriesName).find();
            default -> false;
          };
      if (!matches) {
        continue;
      }
      for (JsonNode property : override.path("properties")) {
        if ("color".equals(property.path("id").asText())) {
          JsonNode value = property.path("value");
          colour =
              "fixed".equals(value.path("mode").asText())
                  ? value.path("fixedColor").asText()
                  : "mode " + value.path("mode").asText();
        }
      }
    }
    return colour;
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
