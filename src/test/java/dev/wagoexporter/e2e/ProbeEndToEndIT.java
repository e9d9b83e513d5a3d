package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.ProbeConfig;
import dev.wagoexporter.config.ProbeTargetPattern;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /probe} (Prometheus' multi-target pattern) over real sockets: one exporter polling a
 * configured meter on gateway A (Modbus TCP, unit 2), and a second gateway B (RTU over TCP, unit 3)
 * that only probes reach.
 */
class ProbeEndToEndIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Harness harness;
  private static MeterSimulator gatewayB;

  @BeforeAll
  static void start() throws Exception {
    // gateway B is not configured: the config file allows it (any port on loopback)
    harness =
        Harness.start(
            Framing.TCP,
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            125,
            false,
            new ProbeConfig(List.of(ProbeTargetPattern.parse("127.0.0.0/8"))));
    gatewayB =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withPort(0)
                .withFraming(Framing.RTU_OVER_TCP)
                .withUnitIds(Set.of(3))
                .withClock(Harness.FIXED));
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.scrape().up() == 1.0);
  }

  @AfterAll
  static void stop() {
    harness.close();
    gatewayB.close();
  }

  private static URI probe(String query) {
    return URI.create("http://127.0.0.1:" + harness.exporter.httpPort() + "/probe?" + query);
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probeOfAConfiguredMeterAnswersWhatMetricsServes() {
    Scrape probed =
        Scrape.of(probe("target=127.0.0.1:" + harness.port + "&unit_id=2&framing=tcp&name=main"));
    Scrape metrics = harness.scrape();
    assertThat(ExporterEndToEndIT.deviceSeries(probed))
        .isEqualTo(ExporterEndToEndIT.deviceSeries(metrics))
        .isEqualTo(harness.expectedValues(false));
    assertThat(probed.up()).isEqualTo(1.0);
    assertThat(probed.series())
        .containsKey(
            "wago_meter_info{firmware=\"2.18\",meter=\"main\",model=\"879-30xx 4PS\",serial=\"22091039\"}");
    // the exporter's own metrics stay on /metrics
    assertThat(probed.series().keySet()).noneMatch(k -> k.startsWith("wago_exporter_build_info"));
    assertThat(metrics.series().keySet()).anyMatch(k -> k.startsWith("wago_exporter_build_info"));
  }

  @Test
  void probeOfAnUnconfiguredGatewayIsLabelledWithTheTarget() {
    String target = "127.0.0.1:" + gatewayB.port();
    Scrape probed = Scrape.of(probe("target=" + target + "&unit_id=3&framing=rtu-over-tcp"));
    assertThat(ExporterEndToEndIT.deviceSeries(probed))
        .isEqualTo(
            Harness.expectedValues(
                harness.exporter.meters().get(0).profile(), gatewayB.meter(3), target, false));
    assertThat(probed.get("wago_up{meter=\"" + target + "\"}")).isEqualTo(1.0);
    // not added to what /metrics serves
    assertThat(harness.scrape().series().keySet()).noneMatch(k -> k.contains(target));
  }

  @Test
  void unreachableTargetAnswersUpZeroWithoutValues() throws Exception {
    String target = "127.0.0.1:" + FreePort.onLoopback();
    Scrape probed = Scrape.of(probe("target=" + target + "&name=shed"));
    assertThat(probed.get("wago_up{meter=\"shed\"}")).isZero();
    assertThat(probed.get("wago_modbus_errors_total{meter=\"shed\",reason=\"connection\"}"))
        .isEqualTo(1.0);
    assertThat(ExporterEndToEndIT.deviceSeries(probed)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "                                          | target is missing",
        "target=                                   | target is missing",
        "target=192.168.2.10                       | has no port",
        "target=http://192.168.2.10:502/           | is not a plain address",
        "target=127.0.0.1:70000                    | outside 1..65535",
        "target=127.0.0.1:502&unit_id=0            | unit_id: unit id 0 is outside 1..247",
        "target=127.0.0.1:502&unit_id=two          | unit_id: 'two' is not a unit id",
        "target=127.0.0.1:502&framing=modbus       | unknown framing 'modbus'",
        "target=127.0.0.1:502&profile=/etc/passwd  | profile='/etc/passwd' is not a built-in profile",
        "target=127.0.0.1:502&unitid=2             | unknown parameter 'unitid'",
        "target=127.0.0.1:502&target=127.0.0.1:503 | target is given twice",
      })
  void badProbeIsA400WithOneClearLine(String query, String message) throws Exception {
    HttpResponse<String> response =
        get(probe(query == null ? "" : query.replace("/", "%2F").replace(":", "%3A")));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("bad probe: ").contains(message).endsWith("\n");
    assertThat(response.body().strip()).doesNotContain("\n");
  }

  @Test
  void theLandingPageShowsHowToProbe() throws Exception {
    HttpResponse<String> page =
        get(URI.create("http://127.0.0.1:" + harness.exporter.httpPort() + "/"));
    assertThat(page.body()).contains("/probe?target=HOST:PORT&amp;unit_id=N");
  }

  @Test
  void probeWithAnotherFramingThanTheConfiguredGatewayIsRefused() throws Exception {
    HttpResponse<String> response =
        get(
            probe(
                "target="
                    + URLEncoder.encode("127.0.0.1:" + harness.port, StandardCharsets.UTF_8)
                    + "&unit_id=2&framing=rtu-over-tcp"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("framing=rtu-over-tcp differs from framing tcp", "config file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "0.0.0.0", "[::1]", "127.0.0.2"})
  void probeOfTheExporterItselfIsRefusedAndNothingHangs(String host) throws Exception {
    int own = harness.exporter.httpPort();
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(probe("target=" + host + ":" + own))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("this exporter's own HTTP address");
    // the old server hung /metrics and /healthz for good after two of these
    assertThat(harness.scrape().up()).isEqualTo(1.0);
    assertThat(get(URI.create("http://127.0.0.1:" + own + "/healthz")).statusCode()).isEqualTo(200);
  }

  @Test
  void oneProbesFramingDoesNotPinTheGatewayForOthers() {
    String target = "127.0.0.1:" + gatewayB.port();
    // a typo in one targets file: gateway B speaks RTU over TCP
    Scrape wrong = Scrape.of(probe("target=" + target + "&unit_id=3&framing=tcp&name=typo"));
    assertThat(wrong.get("wago_up{meter=\"typo\"}")).isZero();
    Scrape right =
        Scrape.of(probe("target=" + target + "&unit_id=3&framing=rtu-over-tcp&name=right"));
    assertThat(right.get("wago_up{meter=\"right\"}")).isEqualTo(1.0);
  }
}
