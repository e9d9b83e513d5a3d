package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboards serve one Pi and a central store of many sites alike: a site variable whose "All"
 * also matches series without a site label, and every query filtered by it (docs/multi-site.md).
 */
class MultiSiteDashboardTest {

  @Test
  void siteVariableMatchesEverySiteAndSeriesWithoutOne() throws Exception {
    for (Path file : DashboardQueries.dashboardFiles()) {
      List<String> names = variableNames(file);
      assertThat(names).as(file.getFileName().toString()).contains("site", "meter");
      assertThat(names.indexOf("site"))
          .as("site comes before meter, which depends on it")
          .isLessThan(names.indexOf("meter"));
      JsonNode site = variable(file, "site");
      assertThat(site.path("includeAll").asBoolean()).isTrue();
      assertThat(site.path("allValue").asText()).isEqualTo(GrafanaVariables.ALL_SITES);
      assertThat(site.path("current").path("value").asText()).isEqualTo("$__all");
      assertThat(site.path("definition").asText()).isEqualTo("label_values(wago_up, site)");
      assertThat(variable(file, "meter").path("definition").asText())
          .isEqualTo("label_values(wago_up{site=~\"$site\"}, meter)");
    }
    // ".*" also matches the empty value, which is what PromQL sees for a series without the label
    assertThat("").matches(GrafanaVariables.ALL_SITES);
  }

  @Test
  void everyPanelQueryIsFilteredBySite() throws Exception {
    List<DashboardQueries.PanelQuery> queries = DashboardQueries.all();
    assertThat(queries)
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.expr()).as(q.where()).contains("site=~\"$site\""));
  }

  private static List<String> variableNames(Path file) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    DashboardQueries.read(file)
        .path("templating")
        .path("list")
        .forEach(v -> names.add(v.path("name").asText()));
    return names;
  }

  private static JsonNode variable(Path file, String name) throws Exception {
    for (JsonNode v : DashboardQueries.read(file).path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(file + " has no variable " + name);
  }
}
