package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.ExternalTool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * compose.yaml as Debian's docker-compose (1.29, no Docker engine needed) resolves it: valid, with
 * the demo profile, and with the settings the stack promises users.
 */
class ComposeFileIT {
  private static final List<String> PASSWORD = List.of("GRAFANA_ADMIN_PASSWORD=test-only");
  private static ExternalTool compose;

  @BeforeAll
  static void findCompose() {
    compose = ExternalTool.require("docker-compose", "docker-compose");
  }

  @Test
  void validatesAndOnlyTheSimulatorNeedsTheDemoProfile() {
    ExternalTool.Result plain = compose.run(RepoPaths.ROOT, PASSWORD, "config", "-q");
    assertThat(plain.exitCode()).as(plain.output()).isZero();

    // docker-compose 1.29 lists every service whatever the profile, so read the profiles themselves
    Map<String, Map<String, Object>> services = services(PASSWORD);
    assertThat(services)
        .containsOnlyKeys(
            "modbus_exporter", "meter_simulator", "prometheus", "grafana", "alertmanager");
    assertThat(services.get("meter_simulator").get("profiles")).isEqualTo(List.of("demo"));
    services.forEach(
        (name, service) -> {
          if (!name.equals("meter_simulator")) {
            assertThat(service)
                .as(name + " starts without a profile")
                .doesNotContainKey("profiles");
          }
        });
  }

  @Test
  void refusesToStartWithoutAGrafanaPassword() {
    ExternalTool.Result result =
        compose.run(RepoPaths.ROOT, List.of("GRAFANA_ADMIN_PASSWORD="), "config", "-q");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains("GRAFANA_ADMIN_PASSWORD is empty - copy .env.example to .env and set a password");
  }

  @Test
  void servicesAreHardenedAndPinned() {
    Map<String, Map<String, Object>> services = services(PASSWORD);
    for (var entry : services.entrySet()) {
      Map<String, Object> service = entry.getValue();
      String name = entry.getKey();
      assertThat((String) service.get("image"))
          .as(name + " image")
          .matches("[^:]+:[0-9][^:]*|[^:]+:v[0-9][^:]*");
      assertThat(service.get("user"))
          .as(name + " runs as non-root")
          .isNotNull()
          .isNotIn("0", "root", "0:0");
      assertThat(service).as(name).containsKeys("healthcheck", "logging");
      assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
    }
    @SuppressWarnings("unchecked")
    List<String> prometheusFlags = (List<String>) services.get("prometheus").get("command");
    assertThat(prometheusFlags)
        .contains("--storage.tsdb.retention.time=1y")
        .anyMatch(flag -> flag.startsWith("--storage.tsdb.retention.size="))
        .noneMatch(flag -> flag.contains("admin-api") || flag.contains("lifecycle"));
    assertThat(services.get("grafana").get("depends_on").toString())
        .contains("prometheus", "service_healthy");
  }

  /**
   * busybox wget does not fall back from ::1 to 127.0.0.1, so "localhost" can fail a healthy
   * service.
   */
  @Test
  void healthchecksAddressLoopbackByNumber() {
    services(PASSWORD)
        .forEach(
            (name, service) ->
                assertThat(String.valueOf(service.get("healthcheck")))
                    .as(name + " healthcheck")
                    .doesNotContain("localhost"));
  }

  /** Outside the demo an unset WAGO_GATEWAY must not quietly become the simulator's address. */
  @Test
  void theGatewayHasNoDefaultAndTheStackEntrypointDecides() {
    @SuppressWarnings("unchecked")
    Map<String, Object> exporter = services(PASSWORD).get("modbus_exporter");
    Map<String, Object> env = (Map<String, Object>) exporter.get("environment");
    assertThat(env.get("WAGO_GATEWAY")).isIn("", null);
    assertThat(exporter.get("entrypoint").toString())
        .contains("/opt/wago-exporter/bin/compose-start");
  }

  @Test
  void onlyGrafanaIsPublishedBeyondThePiByDefault() {
    Map<String, Map<String, Object>> services = services(PASSWORD);
    assertThat(published(services, "grafana")).containsExactly("0.0.0.0:3000");
    assertThat(published(services, "prometheus")).containsExactly("127.0.0.1:9090");
    assertThat(published(services, "modbus_exporter")).containsExactly("127.0.0.1:9100");
    assertThat(published(services, "alertmanager")).containsExactly("127.0.0.1:9093");

    List<String> opened =
        List.of("GRAFANA_ADMIN_PASSWORD=x", "PROMETHEUS_BIND=0.0.0.0", "EXPORTER_PORT=9101");
    assertThat(published(services(opened), "prometheus")).containsExactly("0.0.0.0:9090");
    assertThat(published(services(opened), "modbus_exporter")).containsExactly("127.0.0.1:9101");
  }

  @Test
  void namedVolumesKeepTheOldStacksNames() {
    ExternalTool.Result result =
        compose.run(
            RepoPaths.ROOT,
            List.of("GRAFANA_ADMIN_PASSWORD=x", "COMPOSE_PROJECT_NAME=modbus"),
            "config",
            "--volumes");
    assertThat(result.output().lines())
        .containsExactlyInAnyOrder("prometheus_data", "grafana_data", "alertmanager_data");
  }

  /**
   * compose.migrate.yaml as docs/stack.md switches it on in .env: the old stack's volumes and
   * network by name, external (never created empty, never deleted), and a clear stop when a name is
   * not set.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theMigrationOverrideUsesTheOldStacksVolumesAndNetworkByName() {
    List<String> env =
        List.of(
            "GRAFANA_ADMIN_PASSWORD=x",
            "COMPOSE_FILE=compose.yaml:compose.migrate.yaml",
            "WAGO_PROMETHEUS_VOLUME=heatpump_dashboard_prometheus_data",
            "WAGO_GRAFANA_VOLUME=heatpump_dashboard_grafana_data",
            "WAGO_NETWORK=heatpump_dashboard_default");
    ExternalTool.Result result = compose.run(RepoPaths.ROOT, env, "config");
    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, Object> config =
        (Map<String, Object>)
            new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(result.output());
    Map<String, Map<String, Object>> volumes =
        (Map<String, Map<String, Object>>) config.get("volumes");
    assertThat(volumes.get("prometheus_data"))
        .containsEntry("external", true)
        .containsEntry("name", "heatpump_dashboard_prometheus_data");
    assertThat(volumes.get("grafana_data"))
        .containsEntry("external", true)
        .containsEntry("name", "heatpump_dashboard_grafana_data");
    assertThat(((Map<String, Map<String, Object>>) config.get("networks")).get("default"))
        .containsEntry("external", true)
        .containsEntry("name", "heatpump_dashboard_default");

    ExternalTool.Result unset =
        compose.run(RepoPaths.ROOT, env.subList(0, 2), "config", "--volumes");
    assertThat(unset.exitCode()).isNotZero();
    assertThat(unset.output()).contains("set WAGO_PROMETHEUS_VOLUME in .env");
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertmanagerRendersItsConfigAndGetsTheReceiversFromEnv() {
    List<String> env =
        List.of(
            "GRAFANA_ADMIN_PASSWORD=x",
            "ALERT_TELEGRAM_BOT_TOKEN=123:abc",
            "ALERT_TELEGRAM_CHAT_ID=42");
    Map<String, Object> alertmanager = services(env).get("alertmanager");

    assertThat((List<String>) alertmanager.get("entrypoint"))
        .containsExactly("/bin/sh", "/etc/alertmanager/entrypoint.sh");
    assertThat((List<String>) alertmanager.get("command"))
        .startsWith("/bin/alertmanager")
        .contains(
            "--config.file=/tmp/alertmanager/alertmanager.yml", "--storage.path=/alertmanager");
    assertThat(alertmanager.get("environment").toString())
        .contains("ALERT_TELEGRAM_BOT_TOKEN=123:abc", "ALERT_TELEGRAM_CHAT_ID=42");
    assertThat(alertmanager.get("healthcheck").toString())
        .contains("http://127.0.0.1:9093/-/ready");
    assertThat(alertmanager.get("volumes").toString())
        .contains(":/etc/alertmanager:ro", "alertmanager_data:/alertmanager");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(List<String> env) {
    ExternalTool.Result result = compose.run(RepoPaths.ROOT, env, "--profile", "demo", "config");
    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(result.output());
    return (Map<String, Map<String, Object>>) config.get("services");
  }

  /** host_ip:published for each port of a service, as docker-compose 1.29 writes them. */
  @SuppressWarnings("unchecked")
  private static List<String> published(Map<String, Map<String, Object>> services, String name) {
    List<Object> ports = (List<Object>) services.get(name).getOrDefault("ports", List.of());
    return ports.stream()
        .map(
            port ->
                port instanceof Map<?, ?> map
                    ? map.get("host_ip") + ":" + map.get("published")
                    : port.toString().replaceAll(":\\d+(/\\w+)?$", ""))
        .toList();
  }
}
