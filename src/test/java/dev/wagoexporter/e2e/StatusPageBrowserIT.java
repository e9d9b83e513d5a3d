package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.testsupport.HeadlessChromium;
import dev.wagoexporter.testsupport.ManualClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page at {@code /} in a real browser (Debian's chromium, headless) at a phone's width,
 * against an exporter polling a simulated meter over loopback: the values a user reads are those of
 * {@code /metrics}, they follow each poll without a reload, a dead gateway shows the error with its
 * hint, and nothing is wider than the screen. Screenshots land in target/status-page/.
 */
class StatusPageBrowserIT {
  private static final int WIDTH = 400;
  private static final int HEIGHT = 900;
  private static final Path SCREENSHOTS = Path.of("target", "status-page");
  private static final Duration PAGE_WAIT = Duration.ofSeconds(60);

  /** What the page shows, keyed like /metrics series, with the decimals it shows them with. */
  private static final Map<String, Integer> SHOWN = new LinkedHashMap<>();

  static {
    SHOWN.put("wago_system_active_power_watts{meter=\"main\"}", 0);
    for (String phase : List.of("L1", "L2", "L3")) {
      SHOWN.put("wago_active_power_watts{meter=\"main\",phase=\"" + phase + "\"}", 0);
      SHOWN.put("wago_voltage_volts{meter=\"main\",phase=\"" + phase + "\"}", 1);
    }
  }

  @TempDir Path work;

  /** The text of each shown value, keyed as on /metrics; reads the page the user sees. */
  private static final String READ_VALUES =
      "(() => { const r = {};"
          + " document.querySelectorAll('[data-meter=\"main\"] .value[data-metric]').forEach(e => {"
          + "  const phase = e.getAttribute('data-phase');"
          + "  r[e.getAttribute('data-metric') + '{meter=\"main\"'"
          + "    + (phase ? ',phase=\"' + phase + '\"' : '') + '}'] = e.textContent; });"
          + " return r; })()";

  @Test
  void showsTheValuesOfMetricsAndFollowsTheNextPollWithoutAReload() throws Exception {
    ManualClock simulated = new ManualClock(Instant.parse("2026-06-15T07:10:00Z"));
    try (Harness harness = Harness.startWithSimulatorClock(simulated, Duration.ofSeconds(1));
        HeadlessChromium browser = HeadlessChromium.start(work, WIDTH, HEIGHT)) {
      await().atMost(PAGE_WAIT).until(() -> harness.scrape().hasValues());
      browser.emulatePhone(WIDTH, HEIGHT);
      browser.navigate("http://127.0.0.1:" + harness.exporter.httpPort() + "/");
      await().atMost(PAGE_WAIT).until(() -> onPage(browser).size() == SHOWN.size());
      browser.evaluate("window.sameDocument = 'still here'");

      Map<String, Double> before = awaitPageMatchesMetrics(browser, harness);
      assertThat(
              browser
                  .evaluate("document.querySelector('[data-meter=\"main\"] .state').textContent")
                  .asText())
          .contains("OK");
      assertThat(
              browser
                  .evaluate("document.querySelector('[data-meter=\"main\"] .age').textContent")
                  .asText())
          .matches("\\d+\u00a0s ago");
      assertThat(
              browser
                  .evaluate("document.querySelector('[data-meter=\"main\"] .identity').textContent")
                  .asText())
          .contains("serial ", "model 879-30xx", "firmware ");
      assertFitsTheScreen(browser);
      browser.screenshot(SCREENSHOTS.resolve("demo-400px.png"));

      // evening: other loads, other voltages; the page must follow the next poll by itself
      simulated.advance(Duration.ofHours(12));
      await().atMost(PAGE_WAIT).until(() -> !shownSeries(harness.scrape()).equals(before));
      Map<String, Double> after = awaitPageMatchesMetrics(browser, harness);
      assertThat(after.get("wago_system_active_power_watts{meter=\"main\"}"))
          .isNotEqualTo(before.get("wago_system_active_power_watts{meter=\"main\"}"));
      assertThat(after.get("wago_voltage_volts{meter=\"main\",phase=\"L1\"}"))
          .isNotEqualTo(before.get("wago_voltage_volts{meter=\"main\",phase=\"L1\"}"));
      assertThat(browser.evaluate("window.sameDocument").asText()).isEqualTo("still here");
      assertFitsTheScreen(browser);
      browser.screenshot(SCREENSHOTS.resolve("demo-400px-next-poll.png"));
    }
  }

  @Test
  void aDeadGatewayShowsTheErrorAndWhatToDo() throws Exception {
    try (Harness harness =
            Harness.withoutGateway(Framing.TCP, Duration.ofSeconds(1), Duration.ofMillis(500));
        HeadlessChromium browser = HeadlessChromium.start(work, WIDTH, HEIGHT)) {
      browser.emulatePhone(WIDTH, HEIGHT);
      browser.navigate("http://127.0.0.1:" + harness.exporter.httpPort() + "/");
      await()
          .atMost(PAGE_WAIT)
          .until(
              () ->
                  browser.evaluate("document.querySelector('.fault .hint') !== null").asBoolean());

      JsonNode fault =
          browser.evaluate(
              "(() => { const m = document.querySelector('[data-meter=\"main\"]'); return {"
                  + " state: m.querySelector('.state').textContent,"
                  + " reason: m.querySelector('.fault').getAttribute('data-reason'),"
                  + " message: m.querySelector('.fault .message').textContent,"
                  + " hint: m.querySelector('.fault .hint').textContent,"
                  + " values: m.querySelectorAll('.value').length,"
                  + " age: m.querySelector('.age').textContent }; })()");
      assertThat(fault.path("state").asText()).contains("DOWN");
      assertThat(fault.path("reason").asText()).isEqualTo("connection");
      assertThat(fault.path("message").asText()).contains("127.0.0.1:" + harness.port);
      assertThat(fault.path("hint").asText()).isEqualTo(asShown(FaultReason.CONNECTION.hint(-1)));
      assertThat(fault.path("values").asInt()).isZero();
      assertThat(fault.path("age").asText()).isEqualTo("never");
      assertFitsTheScreen(browser);
      browser.screenshot(SCREENSHOTS.resolve("dead-gateway-400px.png"));
    }
  }

  @Test
  void aGatewayWithNoMeterBehindItSaysSoAndThePageRecoversByItself() throws Exception {
    try (Harness harness =
            Harness.start(Framing.TCP, Duration.ofSeconds(1), Duration.ofMillis(500), 125, false);
        HeadlessChromium browser = HeadlessChromium.start(work, WIDTH, HEIGHT)) {
      // what a Waveshare gateway in Modbus TCP mode answers when no meter replies on its RS485 side
      harness.faults.setExceptionCode(0x0B);
      harness.faults.injectUntilCleared(Fault.EXCEPTION);
      browser.emulatePhone(WIDTH, HEIGHT);
      browser.navigate("http://127.0.0.1:" + harness.exporter.httpPort() + "/");
      await()
          .atMost(PAGE_WAIT)
          .until(
              () ->
                  "exception"
                      .equals(
                          browser
                              .evaluate(
                                  "document.querySelector('[data-meter=\"main\"] .fault')?.getAttribute('data-reason') ?? ''")
                              .asText()));
      browser.evaluate("window.sameDocument = 'still here'");

      String fault =
          browser
              .evaluate("document.querySelector('[data-meter=\"main\"] .fault').textContent")
              .asText();
      assertThat(fault)
          .contains("(exception 0x0B)")
          .contains(asShown(FaultReason.EXCEPTION.hint(0x0B)));
      assertFitsTheScreen(browser);
      browser.screenshot(SCREENSHOTS.resolve("no-meter-behind-gateway-400px.png"));

      harness.faults.clear();
      await()
          .atMost(PAGE_WAIT)
          .until(
              () ->
                  browser
                      .evaluate(
                          "document.querySelector('[data-meter=\"main\"] .state').getAttribute('data-state')")
                      .asText()
                      .equals("up"));
      assertThat(
              browser
                  .evaluate("document.querySelector('[data-meter=\"main\"] .fault') === null")
                  .asBoolean())
          .isTrue();
      assertThat(onPage(browser)).hasSize(SHOWN.size());
      assertThat(browser.evaluate("window.sameDocument").asText()).isEqualTo("still here");
    }
  }

  /**
   * The household's view at a phone's width and on a desk: power now with its direction, today's
   * energy and cost from the exporter's own readings, yesterday and this month "unavailable"
   * without Prometheus, the chart, each phase against the fuse, the Grafana link, the technical
   * details folded away (with a Modbus proxy when the document has one), nothing wider than the
   * screen.
   */
  @Test
  void theHouseholdViewFitsAPhoneAndADesk() throws Exception {
    ManualClock simulated = new ManualClock(Instant.parse("2026-06-15T11:00:00Z"));
    String grafana = "http://127.0.0.1:9/grafana/d/wago-energy";
    StatusConfig status =
        new StatusConfig(null, URI.create(grafana), 35.0, 0.30, java.time.ZoneOffset.UTC);
    try (Harness harness = Harness.startWithStatus(simulated, Duration.ofSeconds(1), status)) {
      for (int width : List.of(400, 1280)) {
        try (HeadlessChromium browser = HeadlessChromium.start(work, width, HEIGHT)) {
          if (width == 400) {
            browser.emulatePhone(width, HEIGHT);
          }
          browser.navigate("http://127.0.0.1:" + harness.exporter.httpPort() + "/");
          // the simulated meter counts on while its clock moves: today's energy grows from 0
          await()
              .atMost(PAGE_WAIT)
              .until(
                  () -> {
                    simulated.advance(Duration.ofMinutes(1));
                    return browser
                        .evaluate(
                            "parseFloat(document.querySelector('[data-period=today] .import')"
                                + "?.getAttribute('data-kwh') ?? '0') > 0")
                        .asBoolean();
                  });
          JsonNode page =
              browser.evaluate(
                  "(() => { const m = document.querySelector('[data-meter=\"main\"]'); return {"
                      + " power: m.querySelector('.now .value').textContent,"
                      + " direction: m.querySelector('.direction').textContent,"
                      + " today: m.querySelector('[data-period=today]').textContent,"
                      + " cost: m.querySelector('[data-period=today] .cost').textContent,"
                      + " yesterday: m.querySelector('[data-period=yesterday]').getAttribute('data-state'),"
                      + " yesterdayText: m.querySelector('[data-period=yesterday] .kwh').textContent,"
                      + " month: m.querySelector('[data-period=this_month]').getAttribute('data-state'),"
                      + " chartPoints: m.querySelectorAll('.chart svg polyline').length,"
                      + " phases: [...m.querySelectorAll('.load .row')].map(r => r.getAttribute('data-percent')),"
                      + " loadTitle: m.querySelector('.load h3').textContent,"
                      + " techOpen: m.querySelector('details').open,"
                      + " tech: m.querySelector('details').textContent,"
                      + " grafana: document.getElementById('grafana-link').getAttribute('href') }; })()");
          assertThat(page.path("power").asText()).matches("\\d+ W");
          assertThat(page.path("direction").asText()).contains("importing from the grid");
          assertThat(page.path("today").asText()).contains("kWh").contains("since");
          assertThat(page.path("cost").asText()).matches("cost \\d+\\.\\d\\d \\(0\\.3/kWh\\)");
          assertThat(page.path("yesterday").asText()).isEqualTo("unavailable");
          assertThat(page.path("yesterdayText").asText()).isEqualTo("unavailable");
          assertThat(page.path("month").asText()).isEqualTo("unavailable");
          assertThat(page.path("chartPoints").asInt()).isEqualTo(1);
          assertThat(page.path("loadTitle").asText()).contains("fuse 35 A");
          assertThat(page.path("phases")).hasSize(3);
          page.path("phases").forEach(p -> assertThat(p.asText()).matches("\\d+"));
          assertThat(page.path("techOpen").asBoolean()).isFalse();
          assertThat(page.path("tech").asText())
              .contains("gateway 127.0.0.1:" + harness.port, "errors by reason");
          assertThat(page.path("grafana").asText()).isEqualTo(grafana);
          assertFitsTheScreen(browser, width);
          browser.screenshot(SCREENSHOTS.resolve("household-" + width + "px.png"));

          // a document with a Modbus proxy (as /api/meters has when one runs): shown in the details
          String proxy =
              browser
                  .evaluate(
                      "fetch('api/meters').then(r => r.json()).then(d => { d.proxies = [{line:"
                          + " '127.0.0.1:5020', listen_address: ':5021', units: [5],"
                          + " writable_units: [5], clients: [{peer: '127.0.0.1:40000',"
                          + " connected_at: '2026-06-15T11:00:00Z', requests: 7}], requests: 9,"
                          + " snapshot_answers: 2, errors: 1}]; window.wagoStatusShow(d);"
                          + " return document.getElementById('proxies').textContent; })")
                  .asText();
          assertThat(proxy)
              .contains("127.0.0.1:5020", ":5021", "127.0.0.1:40000", "9 requests", "1 errors");
          assertFitsTheScreen(browser, width);
        }
      }
    }
  }

  /** A hint's text on the page: commands in backticks are shown as code, without the backticks. */
  private static String asShown(String hint) {
    return hint.replace("`", "");
  }

  private static Map<String, String> onPage(HeadlessChromium browser) {
    Map<String, String> shown = new LinkedHashMap<>();
    browser
        .evaluate(READ_VALUES)
        .fields()
        .forEachRemaining(
            e -> {
              if (SHOWN.containsKey(e.getKey())) {
                shown.put(e.getKey(), e.getValue().asText());
              }
            });
    return shown;
  }

  private static Map<String, Double> shownSeries(Scrape scrape) {
    Map<String, Double> values = new LinkedHashMap<>();
    SHOWN.keySet().forEach(k -> values.put(k, scrape.get(k)));
    return values;
  }

  /**
   * Waits until every shown value is the /metrics value of the same moment, to the decimals shown;
   * returns those /metrics values.
   */
  private static Map<String, Double> awaitPageMatchesMetrics(
      HeadlessChromium browser, Harness harness) {
    Map<String, Double>[] matched = new Map[1];
    await()
        .atMost(PAGE_WAIT)
        .untilAsserted(
            () -> {
              Map<String, Double> metrics = shownSeries(harness.scrape());
              Map<String, String> page = onPage(browser);
              for (Map.Entry<String, Integer> e : SHOWN.entrySet()) {
                String key = e.getKey();
                assertThat(metrics.get(key)).as("/metrics has %s", key).isNotNull();
                String text = page.get(key);
                assertThat(text).as("page shows %s", key).matches("-?\\d+(\\.\\d+)? [WV]");
                double shown = Double.parseDouble(text.substring(0, text.indexOf(' ')));
                double precision = 0.5 * Math.pow(10, -e.getValue()) + 1e-9;
                assertThat(Math.abs(shown - metrics.get(key)))
                    .as("%s: page %s, /metrics %s", key, text, metrics.get(key))
                    .isLessThanOrEqualTo(precision);
              }
              matched[0] = metrics;
            });
    return matched[0];
  }

  private static void assertFitsTheScreen(HeadlessChromium browser) {
    assertFitsTheScreen(browser, WIDTH);
  }

  private static void assertFitsTheScreen(HeadlessChromium browser, int width) {
    JsonNode size =
        browser.evaluate(
            "({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth })");
    assertThat(size.path("inner").asInt()).as("viewport width").isEqualTo(width);
    assertThat(size.path("scroll").asInt())
        .as("page width at %d px", width)
        .isLessThanOrEqualTo(width);
  }
}
