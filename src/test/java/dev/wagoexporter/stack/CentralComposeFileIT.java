package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/central/compose.yaml as Debian's docker-compose resolves it: the central site for many
 * Pis.
 */
class CentralComposeFileIT {
  private static final Path CENTRAL = RepoPaths.ROOT.resolve("deploy/central");
  private static final List<String> PASSWORDS =
      List.of("GRAFANA_ADMIN_PASSWORD=test-only", "VM_PASSWORD=test-only");
  private static ExternalTool compose;

  @BeforeAll
  static void findCompose() {
    compose = ExternalTool.require("docker-compose", "docker-compose");
  }

  @Test
  void validatesAndRefusesToStartWithoutPasswords() {
    ExternalTool.Result ok = compose.run(CENTRAL, PASSWORDS, "config", "-q");
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    ExternalTool.Result noVmPassword =
        compose.run(CENTRAL, List.of("GRAFANA_ADMIN_PASSWORD=x", "VM_PASSWORD="), "config", "-q");
    assertThat(noVmPassword.exitCode()).isNotZero();
    assertThat(noVmPassword.output())
        .contains("VM_PASSWORD is empty - copy .env.example to .env and set a password");
  }

  @Test
  @SuppressWarnings("unchecked")
  void victoriaMetricsIsPinnedProtectedAndGrafanaShowsThePisDashboards() {
    Map<String, Map<String, Object>> services = services();
    assertThat(services).containsOnlyKeys("victoriametrics", "grafana");
    services.forEach(
        (name, service) -> {
          assertThat((String) service.get("image"))
              .as(name + " image")
              .matches("[^:]+:v?[0-9][^:]*");
          assertThat(service).as(name).containsKeys("healthcheck", "logging");
          assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
        });
    List<String> flags = (List<String>) services.get("victoriametrics").get("command");
    assertThat(flags)
        .contains("-httpAuth.username=wago", "-httpAuth.password=test-only")
        .anyMatch(f -> f.startsWith("-retentionPeriod="));
    String volumes = services.get("grafana").get("volumes").toString();
    assertThat(volumes)
        .contains(
            RepoPaths.DASHBOARDS_DIR + ":/etc/grafana/dashboards:ro",
            RepoPaths.ROOT.resolve("deploy/grafana/provisioning/dashboards")
                + ":/etc/grafana/provisioning/dashboards:ro");
  }

  @Test
  @SuppressWarnings("unchecked")
  void centralDataSourceTakesTheUidTheDashboardsSelect() throws Exception {
    Load yaml = new Load(LoadSettings.builder().build());
    Map<String, Object> pi =
        ((List<Map<String, Object>>)
                ((Map<String, Object>)
                        yaml.loadFromString(
                            Files.readString(
                                RepoPaths.ROOT.resolve(
                                    "deploy/grafana/provisioning/datasources/prometheus.yml"))))
                    .get("datasources"))
            .get(0);
    Map<String, Object> central =
        ((List<Map<String, Object>>)
                ((Map<String, Object>)
                        yaml.loadFromString(
                            Files.readString(
                                CENTRAL.resolve("grafana/datasources/victoriametrics.yml"))))
                    .get("datasources"))
            .get(0);
    assertThat(central.get("uid")).isEqualTo(pi.get("uid"));
    assertThat(central.get("type")).isEqualTo("prometheus");
    assertThat(central.get("url")).isEqualTo("http://victoriametrics:8428");
    assertThat(((Map<String, Object>) central.get("jsonData")).get("timeInterval"))
        .isEqualTo(((Map<String, Object>) pi.get("jsonData")).get("timeInterval"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() {
    ExternalTool.Result result = compose.run(CENTRAL, PASSWORDS, "config");
    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(result.output());
    return (Map<String, Map<String, Object>>) config.get("services");
  }
}
