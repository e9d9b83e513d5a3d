package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.metrics.VersionedCollector;
import dev.wagoexporter.testsupport.FreePort;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics over a real socket: negotiation as client_java does it, and a cached body that follows
 * the values.
 */
class MetricsEndpointIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private volatile MetricSnapshots current = snapshots(230.5);
  private final AtomicInteger version = new AtomicInteger();
  private final AtomicInteger collected = new AtomicInteger();
  private ExporterHttpServer server;

  private static MetricSnapshots snapshots(double volts) {
    return MetricSnapshots.of(
        GaugeSnapshot.builder()
            .name("wago_voltage_volts")
            .help("Phase voltage")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(volts).build())
            .build(),
        GaugeSnapshot.builder()
            .name("wago_up")
            .help("up")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
            .build());
  }

  @BeforeEach
  void start() throws IOException {
    server =
        ExporterHttpServer.start(
            "127.0.0.1",
            FreePort.onLoopback(),
            new VersionedCollector() {
              @Override
              public Object version() {
                return version.get();
              }

              @Override
              public MetricSnapshots collect() {
                collected.incrementAndGet();
                return current;
              }
            },
            List.of(),
            WebConfig.NONE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void plainScrapeIsPrometheusText004() throws Exception {
    HttpResponse<byte[]> response = get("/metrics");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text(response))
        .contains("wago_voltage_volts 230.5")
        .contains("# TYPE wago_up gauge");
  }

  @Test
  void openMetricsAndProtobufOnRequest() throws Exception {
    HttpResponse<byte[]> om =
        get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(om.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(text(om)).contains("wago_voltage_volts 230.5").endsWith("# EOF\n");
    HttpResponse<byte[]> proto =
        get(
            "/metrics",
            "Accept",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
    assertThat(proto.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/vnd.google.protobuf");
    assertThat(text(proto)).contains("wago_voltage_volts").doesNotContain("# TYPE");
  }

  @Test
  void gzipBodyUnzipsToThePlainOne() throws Exception {
    String plain = text(get("/metrics"));
    HttpResponse<byte[]> zipped = get("/metrics", "Accept-Encoding", "gzip");
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in =
        new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
    }
  }

  @Test
  void theKeptBodyIsSentAgainUntilTheVersionMoves() throws Exception {
    assertThat(text(get("/metrics"))).contains("wago_voltage_volts 230.5");
    assertThat(text(get("/metrics"))).contains("wago_voltage_volts 230.5");
    assertThat(collected).hasValue(1);
    current = snapshots(229.0);
    version.incrementAndGet();
    assertThat(text(get("/metrics"))).contains("wago_voltage_volts 229.0").doesNotContain("230.5");
    assertThat(collected).hasValue(2);
  }

  @Test
  void eachFormatAndEncodingGetsItsOwnBody() throws Exception {
    String plain = text(get("/metrics"));
    get("/metrics", "Accept-Encoding", "gzip");
    get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(text(get("/metrics"))).isEqualTo(plain);
    assertThat(text(get("/metrics?name[]=wago_up"))).doesNotContain("wago_voltage_volts");
    assertThat(text(get("/metrics"))).contains("wago_voltage_volts 230.5");
  }

  @Test
  void headThenGetSendsTheWholeBody() throws Exception {
    HttpResponse<byte[]> head =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    String body = text(get("/metrics"));
    assertThat(body).contains("wago_voltage_volts 230.5");
    assertThat(head.headers().firstValueAsLong("Content-Length"))
        .hasValue(body.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void queryParametersGoToClientJavasHandler() throws Exception {
    String filtered = text(get("/metrics?name[]=wago_up"));
    assertThat(filtered).contains("wago_up 1.0").doesNotContain("wago_voltage_volts");
  }
}
