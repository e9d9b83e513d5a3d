package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.stack.RenderedAlertmanagerConfig.Shell;
import dev.wagoexporter.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped Alertmanager configuration, rendered by entrypoint.sh with each receiver switched on
 * from .env settings, checked by Debian's amtool (package prometheus-alertmanager).
 */
class AlertmanagerConfigIT {
  private static final Map<String, String> TELEGRAM =
      Map.of(
          "ALERT_TELEGRAM_BOT_TOKEN", "123456789:AAH-test_token",
          "ALERT_TELEGRAM_CHAT_ID", "-1001234567");
  private static final Map<String, String> NTFY =
      Map.of("ALERT_NTFY_URL", "https://ntfy.sh/wago-test-topic");
  private static final Map<String, String> WEBHOOK =
      Map.of("ALERT_WEBHOOK_URL", "http://homeassistant.local:8123/api/webhook/wago-alerts");
  private static final Map<String, String> EMAIL =
      Map.of(
          "ALERT_EMAIL_TO", "me@example.com",
          "ALERT_EMAIL_FROM", "pi@example.com",
          "ALERT_SMTP_SMARTHOST", "smtp.example.com:587");
  private static final Map<String, String> EMAIL_LOGIN =
      merge(
          EMAIL, Map.of("ALERT_SMTP_USERNAME", "me", "ALERT_SMTP_PASSWORD", "not-a-real-password"));

  private static ExternalTool amtool;

  @TempDir Path workDir;

  @BeforeAll
  static void findAmtool() {
    amtool = ExternalTool.require("amtool", "prometheus-alertmanager");
  }

  @Test
  void shippedFileIsValidAsItStands() {
    ExternalTool.Result result =
        amtool.run(RepoPaths.ALERTMANAGER_DIR, "check-config", "alertmanager.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("SUCCESS", "3 inhibit rules", "1 receivers", "1 templates");
  }

  static Stream<Arguments> receivers() {
    return Stream.of(
        Arguments.of("nothing", Map.of(), Set.of()),
        Arguments.of("telegram", TELEGRAM, Set.of("telegram_configs")),
        Arguments.of("ntfy", NTFY, Set.of("webhook_configs")),
        Arguments.of("webhook", WEBHOOK, Set.of("webhook_configs")),
        Arguments.of("email", EMAIL, Set.of("email_configs")),
        Arguments.of("email with login", EMAIL_LOGIN, Set.of("email_configs")),
        Arguments.of(
            "all at once",
            merge(merge(TELEGRAM, NTFY), merge(WEBHOOK, EMAIL_LOGIN)),
            Set.of("telegram_configs", "webhook_configs", "email_configs")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("receivers")
  void eachReceiverSwitchedOnPassesAmtoolInBothShells(
      String name, Map<String, String> settings, Set<String> integrations) throws IOException {
    Path busybox =
        RenderedAlertmanagerConfig.render(Shell.BUSYBOX, settings, workDir.resolve("busybox"));
    Path dash = RenderedAlertmanagerConfig.render(Shell.DASH, settings, workDir.resolve("dash"));

    ExternalTool.Result check = amtool.run(workDir, "check-config", busybox.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS", "3 inhibit rules", "1 templates");
    assertThat(Files.readString(dash).replace(workDir.resolve("dash").toString(), "OUT"))
        .as("dash renders what busybox renders")
        .isEqualTo(Files.readString(busybox).replace(workDir.resolve("busybox").toString(), "OUT"));

    Map<String, Object> household = household(busybox);
    assertThat(household.keySet()).containsExactlyInAnyOrderElementsOf(with("name", integrations));
    for (String integration : integrations) {
      for (Map<String, Object> one : configs(household, integration)) {
        assertThat(one.get("send_resolved")).as(integration + " sends resolved").isEqualTo(true);
      }
    }
  }

  @Test
  void valuesArriveExactlyAndThePasswordStaysOutOfTheConfig() throws IOException {
    Map<String, String> settings = new LinkedHashMap<>(merge(TELEGRAM, EMAIL));
    settings.put("ALERT_WEBHOOK_URL", "https://example.com/hook?name=o'brien&x=1");
    settings.put("ALERT_NTFY_URL", "https://ntfy.example.com/topic?auth=abc");
    settings.put("ALERT_SMTP_USERNAME", "me@example.com");
    String password = "p'a\"ss\\w$rd {{ x }}";
    settings.put("ALERT_SMTP_PASSWORD", password);
    Path out = workDir.resolve("out");

    Path config = RenderedAlertmanagerConfig.render(Shell.BUSYBOX, settings, out);

    Map<String, Object> household = household(config);
    Map<String, Object> telegram = configs(household, "telegram_configs").get(0);
    assertThat(telegram)
        .containsEntry("bot_token", "123456789:AAH-test_token")
        .containsEntry("chat_id", -1001234567)
        .containsEntry("api_url", "https://api.telegram.org");
    List<Map<String, Object>> webhooks = configs(household, "webhook_configs");
    assertThat(webhooks).extracting(w -> w.get("url")).hasSize(2);
    assertThat((String) webhooks.get(0).get("url"))
        .as("ntfy: the user's query kept, the templates added")
        .startsWith("https://ntfy.example.com/topic?auth=abc&tpl=1&t=%7B%7B")
        .contains("&m=%7B%7Brange%20.alerts%7D%7D");
    assertThat(webhooks.get(1).get("url")).isEqualTo("https://example.com/hook?name=o'brien&x=1");
    Map<String, Object> email = configs(household, "email_configs").get(0);
    assertThat(email)
        .containsEntry("to", "me@example.com")
        .containsEntry("smarthost", "smtp.example.com:587")
        .containsEntry("require_tls", true)
        .containsEntry("auth_username", "me@example.com")
        .containsEntry("auth_password_file", out.resolve("smtp_password").toString());
    assertThat(Files.readString(out.resolve("smtp_password"))).isEqualTo(password);
    assertThat(Files.readString(config)).doesNotContain("ss\\w$rd");
    ExternalTool.Result check = amtool.run(workDir, "check-config", config.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  /**
   * One bad setting each: the line that names it, and the receiver it switches off. The settings of
   * another receiver, good ones, are added by the test.
   */
  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(
            Map.of("ALERT_TELEGRAM_BOT_TOKEN", "123:abc"),
            "ALERT_TELEGRAM_CHAT_ID is empty but ALERT_TELEGRAM_BOT_TOKEN is set",
            "telegram"),
        Arguments.of(
            merge(TELEGRAM, Map.of("ALERT_TELEGRAM_CHAT_ID", "@mychannel")),
            "ALERT_TELEGRAM_CHAT_ID must be a number such as 123456789",
            "telegram"),
        Arguments.of(
            merge(TELEGRAM, Map.of("ALERT_TELEGRAM_BOT_TOKEN", "my token")),
            "ALERT_TELEGRAM_BOT_TOKEN does not look like a bot token",
            "telegram"),
        Arguments.of(
            Map.of("ALERT_WEBHOOK_URL", "homeassistant.local:8123/api/webhook/x"),
            "ALERT_WEBHOOK_URL must be an http:// or https:// URL",
            "webhook"),
        Arguments.of(
            Map.of("ALERT_EMAIL_TO", "me@example.com", "ALERT_EMAIL_FROM", "pi@example.com"),
            "ALERT_SMTP_SMARTHOST is empty but ALERT_EMAIL_TO is set",
            "email"),
        Arguments.of(
            merge(EMAIL, Map.of("ALERT_SMTP_SMARTHOST", "smtp.example.com")),
            "ALERT_SMTP_SMARTHOST must be host:port such as smtp.example.com:587",
            "email"),
        Arguments.of(
            Map.of("ALERT_SMTP_SMARTHOST", "smtp.example.com:587"),
            "ALERT_SMTP_SMARTHOST is set but ALERT_EMAIL_TO is empty",
            "email"),
        Arguments.of(
            merge(EMAIL_LOGIN, Map.of("ALERT_SMTP_REQUIRE_TLS", "yes")),
            "ALERT_SMTP_REQUIRE_TLS must be true or false",
            "email"),
        Arguments.of(
            Map.of("ALERT_NTFY_URL", "https://ntfy.sh/a\nb"),
            "ALERT_NTFY_URL contains a line break",
            "ntfy"),
        // values Alertmanager refuses at start (a crash loop that sends nothing), named here
        Arguments.of(
            Map.of("ALERT_WEBHOOK_URL", "http://ha.local/a\tb"),
            "ALERT_WEBHOOK_URL contains a space, tab or control character",
            "webhook"),
        Arguments.of(
            Map.of("ALERT_WEBHOOK_URL", "http://home assistant/x"),
            "ALERT_WEBHOOK_URL contains a space, tab or control character",
            "webhook"),
        Arguments.of(
            Map.of("ALERT_NTFY_URL", "https://ntfy.sh/%zz"),
            "ALERT_NTFY_URL has a '%' that is not followed by two hex digits",
            "ntfy"),
        Arguments.of(
            Map.of("ALERT_WEBHOOK_URL", "http://[::1"),
            "ALERT_WEBHOOK_URL has an IPv6 address without its closing ']'",
            "webhook"),
        Arguments.of(
            merge(TELEGRAM, Map.of("ALERT_TELEGRAM_CHAT_ID", "12345678901234567890123")),
            "ALERT_TELEGRAM_CHAT_ID must be a number such as 123456789",
            "telegram"),
        Arguments.of(
            merge(TELEGRAM, Map.of("ALERT_TELEGRAM_CHAT_ID", "-0")),
            "ALERT_TELEGRAM_CHAT_ID must be a number such as 123456789",
            "telegram"),
        Arguments.of(
            merge(TELEGRAM, Map.of("ALERT_TELEGRAM_API_URL", "https://api.telegram.org:44x")),
            "ALERT_TELEGRAM_BOT_TOKEN, ALERT_TELEGRAM_CHAT_ID or ALERT_TELEGRAM_API_URL is refused"
                + " by Alertmanager: parse \"https://api.telegram.org:44x\": invalid port",
            "telegram"),
        // passes the script's own checks, refused by Alertmanager's parser: amtool finds it
        Arguments.of(
            Map.of("ALERT_WEBHOOK_URL", "http://ha.local:81a/x"),
            "ALERT_WEBHOOK_URL is refused by Alertmanager: parse \"http://ha.local:81a/x\":"
                + " invalid port \":81a\" after host",
            "webhook"));
  }

  /** A .env saved on Windows: each value ends with a CR, which must not reach a URL or host. */
  @ParameterizedTest
  @EnumSource(Shell.class)
  void aTrailingCarriageReturnIsDropped(Shell shell) throws IOException {
    Map<String, String> settings = new java.util.HashMap<>();
    merge(merge(TELEGRAM, WEBHOOK), EMAIL).forEach((k, v) -> settings.put(k, v + "\r"));
    Path config = RenderedAlertmanagerConfig.render(shell, settings, workDir.resolve("cr"));

    assertThat(Files.readString(config))
        .doesNotContain("\r")
        .contains("'" + WEBHOOK.get("ALERT_WEBHOOK_URL") + "'")
        .contains("'" + EMAIL.get("ALERT_SMTP_SMARTHOST") + "'");
    ExternalTool.Result check = amtool.run(workDir, "check-config", config.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badSettings")
  void aBadSettingSwitchesOffItsReceiverOnlyWithOneLineNamingIt(
      Map<String, String> bad, String message, String receiver) throws IOException {
    // a good receiver beside it, of another kind (ntfy and the webhook share webhook_configs)
    boolean webhookKind = receiver.equals("webhook") || receiver.equals("ntfy");
    Map<String, String> settings = merge(webhookKind ? TELEGRAM : WEBHOOK, bad);
    String survivor = webhookKind ? "telegram" : "webhook";
    Path out = workDir.resolve("out");

    ExternalTool.Result result = RenderedAlertmanagerConfig.run(Shell.BUSYBOX, settings, out);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().lines())
        .as(result.output())
        .hasSize(2)
        .contains("alertmanager: notifications go to: " + survivor)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("alertmanager: " + message)
                    .endsWith(
                        "; "
                            + receiver
                            + " is switched off until that is fixed in .env, the other receivers"
                            + " stay on (see .env.example)"));
    Path config = out.resolve("alertmanager.yml");
    ExternalTool.Result check = amtool.run(workDir, "check-config", config.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    Map<String, Object> household = household(config);
    assertThat(household.keySet())
        .containsExactlyInAnyOrder("name", webhookKind ? "telegram_configs" : "webhook_configs");
    if (!webhookKind) {
      assertThat(configs(household, "webhook_configs"))
          .extracting(w -> w.get("url"))
          .containsExactly(WEBHOOK.get("ALERT_WEBHOOK_URL"));
    }
  }

  @ParameterizedTest
  @EnumSource(Shell.class)
  void withEveryReceiverBadAlertmanagerStillGetsAValidConfigAndTheLogSaysSo(Shell shell)
      throws IOException {
    Map<String, String> settings =
        merge(
            merge(
                Map.of("ALERT_TELEGRAM_BOT_TOKEN", "123:abc", "ALERT_TELEGRAM_CHAT_ID", "-0"),
                Map.of("ALERT_NTFY_URL", "https://ntfy.sh/%zz")),
            merge(
                Map.of("ALERT_WEBHOOK_URL", "http://ha.local:81a/x"),
                merge(EMAIL, Map.of("ALERT_SMTP_REQUIRE_TLS", "maybe"))));
    Path out = workDir.resolve("out");

    ExternalTool.Result result = RenderedAlertmanagerConfig.run(shell, settings, out);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().lines())
        .as(result.output())
        .hasSize(5)
        .anyMatch(l -> l.startsWith("alertmanager: ALERT_TELEGRAM_CHAT_ID must be a number"))
        .anyMatch(l -> l.startsWith("alertmanager: ALERT_NTFY_URL has a '%'"))
        .anyMatch(l -> l.startsWith("alertmanager: ALERT_WEBHOOK_URL is refused by Alertmanager"))
        .anyMatch(l -> l.startsWith("alertmanager: ALERT_SMTP_REQUIRE_TLS must be true or false"))
        .contains(
            "alertmanager: every receiver set in .env is switched off (see the lines above):"
                + " alerts show in the Alertmanager UI only");
    Path config = out.resolve("alertmanager.yml");
    ExternalTool.Result check = amtool.run(workDir, "check-config", config.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(household(config).keySet()).containsExactly("name");
  }

  @ParameterizedTest
  @EnumSource(Shell.class)
  void withoutArgumentsItOnlyRendersAndSaysWhereAlertsGo(Shell shell) {
    ExternalTool.Result nothing =
        RenderedAlertmanagerConfig.run(shell, Map.of(), workDir.resolve("a"));
    ExternalTool.Result two =
        RenderedAlertmanagerConfig.run(shell, merge(TELEGRAM, WEBHOOK), workDir.resolve("b"));

    assertThat(nothing.output().strip())
        .isEqualTo(
            "alertmanager: no receiver switched on in .env: alerts show in the Alertmanager UI only");
    assertThat(two.output().strip())
        .isEqualTo("alertmanager: notifications go to: telegram, webhook");
  }

  /** One group as Alertmanager hands it to a template: L2 still firing, L1 resolved. */
  private static final String VOLTAGE_GROUP =
      """
      {"receiver": "household", "status": "firing", "externalURL": "http://127.0.0.1:9093",
       "groupLabels": {"alertname": "WagoVoltageOutOfRange", "meter": "main"},
       "commonLabels": {}, "commonAnnotations": {},
       "alerts": [
        {"status": "resolved",
         "labels": {"alertname": "WagoVoltageOutOfRange", "meter": "main", "phase": "L1"},
         "annotations": {"summary": "Meter main L1: voltage outside 207–253 V",
                         "value": "205.0 V for 10 minutes", "action": "Compare the other phases"},
         "startsAt": "2026-12-01T17:03:00Z", "endsAt": "2026-12-01T17:45:00Z"},
        {"status": "firing",
         "labels": {"alertname": "WagoVoltageOutOfRange", "meter": "main", "phase": "L2"},
         "annotations": {"summary": "Meter main L2: voltage outside 207–253 V",
                         "value": "200.0 V for 10 minutes", "action": "Compare the other phases"},
         "startsAt": "2026-12-01T18:03:00Z", "endsAt": "0001-01-01T00:00:00Z"}]}
      """;

  @Test
  void messagesSayWhatIsWrongTheValueAndWhatToDoLineByLine() throws IOException {
    Path data = workDir.resolve("group.json");
    Files.writeString(data, VOLTAGE_GROUP);

    assertThat(renderTemplate("household.title", data))
        .isEqualTo("ALERT: Meter main L2: voltage outside 207–253 V (2 alerts)");
    assertThat(renderTemplate("household.text", data).lines())
        .containsExactly(
            "ALERT: Meter main L2: voltage outside 207–253 V",
            "Value: 200.0 V for 10 minutes",
            "What to do: Compare the other phases",
            "Since: 2026-12-01 18:03 UTC",
            "",
            "RESOLVED: Meter main L1: voltage outside 207–253 V",
            "From 2026-12-01 17:03 to 17:45 UTC: nothing to do any more.",
            "");
  }

  private String renderTemplate(String name, Path data) {
    ExternalTool.Result result =
        amtool.run(
            RepoPaths.ALERTMANAGER_DIR,
            List.of("TZ=UTC"),
            "template",
            "render",
            "--template.glob=household.tmpl",
            "--template.data=" + data,
            "--template.text={{ template \"" + name + "\" . }}");
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> household(Path config) throws IOException {
    Map<String, Object> doc =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(config));
    Map<String, Object> route = (Map<String, Object>) doc.get("route");
    assertThat(route.get("receiver")).isEqualTo("household");
    List<Map<String, Object>> receivers = (List<Map<String, Object>>) doc.get("receivers");
    assertThat(receivers).hasSize(1);
    return receivers.get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> configs(Map<String, Object> receiver, String key) {
    return (List<Map<String, Object>>) receiver.get(key);
  }

  private static Set<String> with(String first, Set<String> rest) {
    return Stream.concat(Stream.of(first), rest.stream())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> merged = new LinkedHashMap<>(a);
    merged.putAll(b);
    return merged;
  }
}
