package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.stack.RenderedAlertmanagerConfig.Shell;
import dev.wagoexporter.testsupport.AlertmanagerProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One receiver's bad setting in .env does not silence the others: Debian's Alertmanager started by
 * deploy/alertmanager/entrypoint.sh (as the container starts it) with a Telegram chat id it would
 * refuse, and good ntfy and webhook settings. {@link NotificationStandIn} stands in for Telegram's
 * Bot API, ntfy and Home Assistant on loopback. Shortened for a test, in a copy of
 * deploy/alertmanager only: group_wait 30 s → 1 s.
 */
class ReceiverSwitchedOffIT {
  @TempDir Path workDir;

  private NotificationStandIn phone;
  private AlertmanagerProcess alertmanager;

  @AfterEach
  void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (phone != null) {
      phone.close();
    }
  }

  @Test
  void aBadChatIdSwitchesTelegramOffWhileNtfyAndTheWebhookDeliverAndSayWhatIsWrong()
      throws Exception {
    ExternalTool amtool = ExternalTool.require("amtool", "prometheus-alertmanager");
    phone = NotificationStandIn.start();
    Path templates = shortenedCopy();
    Path out = workDir.resolve("run");
    Path config = out.resolve("alertmanager.yml");
    List<String> entrypoint =
        RenderedAlertmanagerConfig.command(
            Shell.DASH,
            Map.of(
                "ALERT_TELEGRAM_BOT_TOKEN",
                NotificationStandIn.TELEGRAM_TOKEN,
                "ALERT_TELEGRAM_CHAT_ID",
                "12345678901234567890123",
                "ALERT_TELEGRAM_API_URL",
                phone.baseUrl(),
                "ALERT_NTFY_URL",
                phone.baseUrl() + NotificationStandIn.NTFY_PATH,
                "ALERT_WEBHOOK_URL",
                phone.baseUrl() + NotificationStandIn.WEBHOOK_PATH),
            templates,
            out);

    alertmanager =
        AlertmanagerProcess.startVia(
            entrypoint, config, workDir.resolve("data"), workDir.resolve("alertmanager.log"));

    assertThat(alertmanager.log())
        .contains(
            "alertmanager: ALERT_TELEGRAM_CHAT_ID must be a number such as 123456789 (a group's"
                + " starts with -), got '12345678901234567890123'; telegram is switched off until"
                + " that is fixed in .env, the other receivers stay on (see .env.example)\n",
            "alertmanager: notifications go to: ntfy, webhook\n");
    awaitLong("the webhook hears that Telegram is off, and why")
        .untilAsserted(
            () ->
                assertThat(webhookAlerts("AlertReceiverOff"))
                    .anySatisfy(
                        alert -> {
                          assertThat(alert.at("/labels/receiver").asText()).isEqualTo("telegram");
                          assertThat(alert.at("/annotations/summary").asText())
                              .isEqualTo(
                                  "Alerts are not sent to telegram: ALERT_TELEGRAM_CHAT_ID in .env"
                                      + " is wrong");
                          assertThat(alert.at("/annotations/action").asText())
                              .startsWith("Fix ALERT_TELEGRAM_CHAT_ID in .env");
                        }));

    amtool.succeed(
        workDir,
        "--alertmanager.url=" + alertmanager.uri(),
        "alert",
        "add",
        "alertname=WagoMeterUnreachable",
        "meter=main",
        "--annotation=summary=Meter main unreachable: it does not answer over Modbus");
    awaitLong("the webhook and ntfy deliver a meter's alert")
        .untilAsserted(
            () -> {
              assertThat(webhookAlerts("WagoMeterUnreachable")).isNotEmpty();
              assertThat(phone.requestsTo(NotificationStandIn.NTFY_PATH))
                  .anySatisfy(
                      request -> assertThat(request.body()).contains("\"WagoMeterUnreachable\""));
            });
    assertThat(phone.telegramTexts()).as("Telegram is off: nothing sent to it").isEmpty();

    // the loop that posts AlertReceiverOff ends with Alertmanager
    List<ProcessHandle> announcers = announcers(config);
    assertThat(announcers).as("the announcing loop runs beside Alertmanager").isNotEmpty();
    alertmanager.close();
    alertmanager = null;
    await("the announcing loop ends with Alertmanager")
        .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
        .until(() -> announcers.stream().noneMatch(ProcessHandle::isAlive));
  }

  private ConditionFactory awaitLong(String what) {
    return await(what)
        .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions();
  }

  private List<JsonNode> webhookAlerts(String alertname) {
    return phone.requestsTo(NotificationStandIn.WEBHOOK_PATH).stream()
        .flatMap(request -> Stream.of(request.json().path("alerts")))
        .flatMap(alerts -> java.util.stream.StreamSupport.stream(alerts.spliterator(), false))
        .filter(alert -> alert.at("/labels/alertname").asText().equals(alertname))
        .toList();
  }

  /** The entrypoint's shell left running beside Alertmanager: its arguments name our config. */
  private static List<ProcessHandle> announcers(Path config) {
    String configFlag = "--config.file=" + config;
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().command().map(c -> c.endsWith("dash")).orElse(false)
                    && p.info()
                        .arguments()
                        .map(args -> List.of(args).contains(configFlag))
                        .orElse(false))
        .toList();
  }

  /** deploy/alertmanager with group_wait shortened, for the entrypoint to render. */
  private Path shortenedCopy() throws IOException {
    Path copy = Files.createDirectories(workDir.resolve("templates"));
    for (String name : List.of("alertmanager.yml", "household.tmpl")) {
      Files.copy(RepoPaths.ALERTMANAGER_DIR.resolve(name), copy.resolve(name));
    }
    String yml = Files.readString(copy.resolve("alertmanager.yml"));
    assertThat(yml).contains("  group_wait: 30s");
    Files.writeString(
        copy.resolve("alertmanager.yml"), yml.replace("  group_wait: 30s", "  group_wait: 1s"));
    return copy;
  }
}
