package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.stack.RenderedAlertmanagerConfig.Shell;
import dev.wagoexporter.testsupport.AlertmanagerProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The alert path end to end on loopback, all real but the phone services: the packaged exporter
 * polls two simulated gateways (meters "main" and "heatpump"), Debian's Prometheus evaluates the
 * shipped rules, Debian's Alertmanager routes with the shipped config as entrypoint.sh renders it
 * with every receiver switched on (Telegram, ntfy, e-mail, the generic webhook); {@link
 * NotificationStandIn} stands in for Telegram's Bot API, ntfy and Home Assistant, {@link
 * SmtpStandIn} for the mail server.
 *
 * <p>Shortened for a test, in copies only: {@code for:} of WagoMeterUnreachable and
 * WagoExporterDown (2 min → 5 s), Alertmanager's group_wait (30 s → 1 s) and group_interval (5 min
 * → 2 s); scrapes, rule evaluation and polls every second. The repeat interval stays 12 h, so a
 * second message for the same problem would be a bug.
 */
class AlertingEndToEndIT {
  private static final Set<String> SHORTENED = Set.of("WagoMeterUnreachable", "WagoExporterDown");
  private static final Duration GROUP_INTERVAL = Duration.ofSeconds(2);
  private static final Pattern WAGO_UP = Pattern.compile("wago_up\\{[^}]*meter=\"(\\w+)\"[^}]*} 1");

  @TempDir Path workDir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private MeterSimulator mainGateway;
  private int mainGatewayPort;

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    if (mainGateway != null) {
      mainGateway.close();
    }
  }

  @Test
  void aPhoneHearsOfAnUnreachableMeterOnceThenOfItsReturnAndOfTheExporterGoingDown()
      throws Exception {
    ExternalTool prometheusBinary = ExternalTool.require("prometheus", "prometheus");
    NotificationStandIn phone = keep(NotificationStandIn.start());
    SmtpStandIn mailServer = keep(SmtpStandIn.start());
    mainGateway = startGateway(0);
    mainGatewayPort = mainGateway.port();
    MeterSimulator heatpumpGateway = keep(startGateway(0));
    DemoExporter exporter = keep(startExporter(mainGatewayPort, heatpumpGateway.port()));
    awaitLong("the exporter reads both meters")
        .untilAsserted(
            () -> assertThat(metersUp(exporter)).as(exporter.log()).contains("main", "heatpump"));
    AlertmanagerProcess alertmanager = keep(startAlertmanager(phone, mailServer));
    PrometheusProcess prometheus =
        keep(
            StackPrometheus.start(
                prometheusBinary,
                workDir,
                exporter.target(),
                config -> sendAlertsTo(config, alertmanager.target())));
    prometheus.awaitReady(Timeouts.scaled(Duration.ofSeconds(90)));
    awaitLong("Prometheus scrapes both meters")
        .untilAsserted(
            () ->
                assertThat(prometheus.instantQuery("wago_up == 1", now()).at("/data/result"))
                    .as(prometheus.log())
                    .hasSize(2));
    assertThat(webhook(phone)).as("nothing is sent while all is well").isEmpty();

    // 1. the main meter's gateway stops answering: one message, naming the meter
    mainGateway.close();
    awaitLong("the webhook gets 'meter unreachable' for main")
        .untilAsserted(
            () ->
                assertThat(count(phone, "firing", "WagoMeterUnreachable", "main"))
                    .as(summary(phone))
                    .isEqualTo(1));
    await("no second message for the same problem")
        .during(GROUP_INTERVAL.multipliedBy(4))
        .atMost(Timeouts.scaled(GROUP_INTERVAL.multipliedBy(20)))
        .until(() -> count(phone, "firing", "WagoMeterUnreachable", "main") == 1);
    JsonNode firing = alertIn(phone, "firing", "WagoMeterUnreachable", "main");
    assertThat(firing.at("/annotations/summary").asText())
        .isEqualTo("Meter main unreachable: it does not answer over Modbus");
    assertThat(firing.at("/annotations/action").asText()).startsWith("Check the gateway's power");
    awaitLong("Telegram gets the readable text")
        .untilAsserted(
            () ->
                assertThat(phone.telegramTexts())
                    .anySatisfy(
                        text ->
                            assertThat(text)
                                .startsWith(
                                    "ALERT: Meter main unreachable: it does not answer over Modbus\n")
                                .contains(
                                    "\nValue: Every poll failed for 2 minutes (wago_up = 0)\n",
                                    "\nWhat to do: Check the gateway's power and cable,")));
    awaitLong("ntfy gets the alert with its message templates")
        .untilAsserted(
            () -> assertThat(phone.requestsTo(NotificationStandIn.NTFY_PATH)).isNotEmpty());
    NotificationStandIn.Request ntfy = phone.requestsTo(NotificationStandIn.NTFY_PATH).get(0);
    assertThat(URLDecoder.decode(ntfy.query(), StandardCharsets.UTF_8))
        .startsWith("tpl=1&t=")
        .contains("{{(index .alerts 0).annotations.summary}}", "Value: {{.annotations.value}}");
    assertThat(ntfy.json().at("/alerts/0/annotations/summary").asText())
        .isEqualTo("Meter main unreachable: it does not answer over Modbus");

    awaitLong("the e-mail says what is wrong, the value and what to do")
        .untilAsserted(
            () ->
                assertThat(mailServer.mails())
                    .anySatisfy(
                        mail -> {
                          assertThat(mail.subject())
                              .isEqualTo(
                                  "ALERT: Meter main unreachable: it does not answer over Modbus");
                          assertThat(mail.headers()).contains("To: household@example.com");
                          assertThat(mail.text())
                              .contains(
                                  "Value: Every poll failed for 2 minutes (wago_up = 0)\n",
                                  "What to do: Check the gateway's power and cable,");
                        }));

    // 2. it answers again: the resolved message
    mainGateway = startGateway(mainGatewayPort);
    awaitLong("the webhook gets 'resolved' for main")
        .untilAsserted(
            () ->
                assertThat(count(phone, "resolved", "WagoMeterUnreachable", "main"))
                    .as(summary(phone))
                    .isEqualTo(1));
    awaitLong("Telegram says it is resolved")
        .untilAsserted(
            () ->
                assertThat(phone.telegramTexts())
                    .anySatisfy(
                        text ->
                            assertThat(text)
                                .startsWith(
                                    "RESOLVED: Meter main unreachable: it does not answer over Modbus\n")));

    // 3. main fails again, then the exporter stops: "exporter down", and no false all-clear for
    // main although its series vanish, nor anything else per meter
    mainGateway.close();
    awaitLong("main is reported unreachable again")
        .untilAsserted(
            () ->
                assertThat(count(phone, "firing", "WagoMeterUnreachable", "main"))
                    .as(summary(phone))
                    .isEqualTo(2));
    int perMeterBefore = perMeterNotifications(phone);
    exporter.close();
    awaitLong("the webhook gets 'exporter down'")
        .untilAsserted(
            () ->
                assertThat(count(phone, "firing", "WagoExporterDown", null))
                    .as(summary(phone))
                    .isEqualTo(1));
    awaitLong("Alertmanager holds main's alert back behind 'exporter down'")
        .untilAsserted(
            () ->
                assertThat(alertState(alertmanager, "WagoMeterUnreachable", "main"))
                    .isEqualTo("suppressed"));
    await("no storm of per-meter messages, no second 'exporter down'")
        .during(GROUP_INTERVAL.multipliedBy(5))
        .atMost(Timeouts.scaled(GROUP_INTERVAL.multipliedBy(25)))
        .until(
            () ->
                perMeterNotifications(phone) == perMeterBefore
                    && count(phone, "firing", "WagoExporterDown", null) == 1);
    assertThat(telegramWith(phone, "ALERT: wago-exporter down: Prometheus cannot reach"))
        .hasSize(1);
    assertThat(telegramWith(phone, "ALERT: Meter main unreachable"))
        .as("Telegram: once per outage of main")
        .hasSize(2);
    assertThat(telegramWith(phone, "RESOLVED: Meter main unreachable")).hasSize(1);
    List<String> subjects = mailServer.mails().stream().map(SmtpStandIn.Mail::subject).toList();
    assertThat(subjects)
        .as("e-mail subjects")
        .containsOnlyOnce(
            "RESOLVED: Meter main unreachable: it does not answer over Modbus",
            "ALERT: wago-exporter down: Prometheus cannot reach "
                + exporter.target()
                + ", no meter is being read");
    assertThat(subjects)
        .filteredOn(subject -> subject.startsWith("ALERT: Meter main unreachable"))
        .hasSize(2);

    // the heatpump meter kept answering throughout: never a word about it
    assertThat(webhook(phone))
        .noneMatch(n -> n.toString().contains("\"meter\":\"heatpump\""))
        .as(summary(phone));
  }

  private ConditionFactory awaitLong(String what) {
    // generous: five JVM-heavy processes share a busy 2-core machine
    return await(what)
        .atMost(Timeouts.scaled(Duration.ofSeconds(120)))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions();
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    running.add(closeable);
    return closeable;
  }

  private static MeterSimulator startGateway(int port) throws IOException {
    return MeterSimulator.start(
        SimulatorOptions.defaults().withHost("127.0.0.1").withPort(port).withUnitIds(Set.of(2)));
  }

  /** The packaged jar (failsafe runs after package), as the container runs it, on a config file. */
  private DemoExporter startExporter(int mainPort, int heatpumpPort) throws IOException {
    Path jar = RepoPaths.ROOT.resolve("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    int port = FreePort.onLoopback();
    Path config = workDir.resolve("wago.yml");
    Files.writeString(
        config,
        "listen: \"127.0.0.1:"
            + port
            + "\"\nmeters:\n"
            + meter("main", mainPort)
            + meter("heatpump", heatpumpPort));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return DemoExporter.start(
        List.of(java, "-jar", jar.toString(), "run", "--config", config.toString()),
        workDir.resolve("exporter.log"),
        port);
  }

  private static String meter(String name, int port) {
    return "  - name: "
        + name
        + "\n    gateway: {host: 127.0.0.1, port: "
        + port
        + ", framing: tcp}\n    unit_id: 2\n    poll_interval: 1s\n    timeout: 500ms\n";
  }

  private List<String> metersUp(DemoExporter exporter) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create("http://" + exporter.target() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return WAGO_UP.matcher(metrics).results().map(m -> m.group(1)).toList();
  }

  /** The shipped config, rendered as the container does, with group timings shortened in a copy. */
  @SuppressWarnings("unchecked")
  private AlertmanagerProcess startAlertmanager(NotificationStandIn phone, SmtpStandIn mailServer)
      throws Exception {
    Path rendered =
        RenderedAlertmanagerConfig.render(
            Shell.DASH,
            Map.of(
                "ALERT_TELEGRAM_BOT_TOKEN",
                NotificationStandIn.TELEGRAM_TOKEN,
                "ALERT_TELEGRAM_CHAT_ID",
                NotificationStandIn.TELEGRAM_CHAT_ID,
                "ALERT_TELEGRAM_API_URL",
                phone.baseUrl(),
                "ALERT_NTFY_URL",
                phone.baseUrl() + NotificationStandIn.NTFY_PATH,
                "ALERT_WEBHOOK_URL",
                phone.baseUrl() + NotificationStandIn.WEBHOOK_PATH,
                "ALERT_EMAIL_TO",
                "household@example.com",
                "ALERT_EMAIL_FROM",
                "pi@example.com",
                "ALERT_SMTP_SMARTHOST",
                mailServer.hostPort(),
                // the stand-in speaks plain SMTP; a real server gets STARTTLS (the default)
                "ALERT_SMTP_REQUIRE_TLS",
                "false"),
            workDir.resolve("alertmanager"));
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(rendered));
    Map<String, Object> route = (Map<String, Object>) config.get("route");
    assertThat(route).containsEntry("group_wait", "30s").containsEntry("repeat_interval", "12h");
    route.put("group_wait", "1s");
    route.put("group_interval", GROUP_INTERVAL.toSeconds() + "s");
    Path shortened = rendered.resolveSibling("alertmanager-test.yml");
    Files.writeString(shortened, new Dump(DumpSettings.builder().build()).dumpToString(config));
    return AlertmanagerProcess.start(
        shortened, workDir.resolve("alertmanager-data"), workDir.resolve("alertmanager.log"));
  }

  /** Prometheus' test config: alerts to the test's Alertmanager, rules with shortened for:. */
  @SuppressWarnings("unchecked")
  private void sendAlertsTo(Map<String, Object> config, String alertmanagerTarget) {
    Map<String, Object> alerting = (Map<String, Object>) config.get("alerting");
    List<Map<String, Object>> alertmanagers =
        (List<Map<String, Object>>) alerting.get("alertmanagers");
    assertThat(alertmanagers).as("prometheus.yml sends alerts to one Alertmanager").hasSize(1);
    alertmanagers
        .get(0)
        .put("static_configs", List.of(Map.of("targets", List.of(alertmanagerTarget))));
    try {
      List<String> ruleFiles = new ArrayList<>();
      for (Path file : RepoPaths.ruleFiles()) {
        ruleFiles.add(
            file.getFileName().toString().equals("alerts.yml")
                ? shortenedAlerts(file).toString()
                : file.toString());
      }
      config.put("rule_files", ruleFiles);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private Path shortenedAlerts(Path alerts) throws IOException {
    Map<String, Object> doc =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(alerts));
    int shortened = 0;
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (SHORTENED.contains(rule.get("alert"))) {
          rule.put("for", "5s");
          shortened++;
        }
      }
    }
    assertThat(shortened).isEqualTo(SHORTENED.size());
    Path copy = workDir.resolve("alerts-shortened.yml");
    Files.writeString(copy, new Dump(DumpSettings.builder().build()).dumpToString(doc));
    return copy;
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Alertmanager's webhook payloads received by the Home Assistant stand-in. */
  private static List<JsonNode> webhook(NotificationStandIn phone) {
    return phone.requestsTo(NotificationStandIn.WEBHOOK_PATH).stream()
        .map(NotificationStandIn.Request::json)
        .toList();
  }

  /**
   * Webhook messages carrying {@code alertname} for {@code meter} (null: no meter) in {@code
   * status}.
   */
  private static long count(
      NotificationStandIn phone, String status, String alertname, String meter) {
    return webhook(phone).stream().filter(n -> hasAlert(n, status, alertname, meter)).count();
  }

  private static JsonNode alertIn(
      NotificationStandIn phone, String status, String alertname, String meter) {
    for (JsonNode notification : webhook(phone)) {
      for (JsonNode alert : notification.path("alerts")) {
        if (matches(alert, status, alertname, meter)) {
          return alert;
        }
      }
    }
    throw new AssertionError(
        "no " + status + " " + alertname + " for " + meter + ": " + summary(phone));
  }

  private static boolean hasAlert(
      JsonNode notification, String status, String alertname, String meter) {
    for (JsonNode alert : notification.path("alerts")) {
      if (matches(alert, status, alertname, meter)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(JsonNode alert, String status, String alertname, String meter) {
    JsonNode labels = alert.path("labels");
    return alert.path("status").asText().equals(status)
        && labels.path("alertname").asText().equals(alertname)
        && (meter == null
            ? labels.path("meter").isMissingNode()
            : labels.path("meter").asText().equals(meter));
  }

  private static int perMeterNotifications(NotificationStandIn phone) {
    Predicate<JsonNode> perMeter =
        n -> n.path("alerts").findValues("meter").stream().anyMatch(JsonNode::isTextual);
    return (int) webhook(phone).stream().filter(perMeter).count();
  }

  private static List<String> telegramWith(NotificationStandIn phone, String start) {
    return phone.telegramTexts().stream().filter(t -> t.startsWith(start)).toList();
  }

  private static String alertState(AlertmanagerProcess alertmanager, String alertname, String meter)
      throws Exception {
    for (JsonNode alert : alertmanager.api("/api/v2/alerts", Map.of())) {
      if (alert.at("/labels/alertname").asText().equals(alertname)
          && alert.at("/labels/meter").asText().equals(meter)) {
        return alert.at("/status/state").asText();
      }
    }
    return "absent";
  }

  /** One line per webhook message, for failure messages. */
  private static String summary(NotificationStandIn phone) {
    StringBuilder text = new StringBuilder("webhook messages so far:");
    for (JsonNode notification : webhook(phone)) {
      text.append("\n  ").append(notification.path("status").asText()).append(':');
      for (JsonNode alert : notification.path("alerts")) {
        text.append(' ')
            .append(alert.at("/labels/alertname").asText())
            .append('{')
            .append(alert.at("/labels/meter").asText())
            .append("}=")
            .append(alert.path("status").asText());
      }
    }
    return text.toString();
  }
}
