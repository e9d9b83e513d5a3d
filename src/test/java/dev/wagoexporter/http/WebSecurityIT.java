package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.config.WebConfigLoader;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS and basic auth of the exporter's HTTP server, over real loopback sockets with the JDK's HTTP
 * client.
 */
class WebSecurityIT {
  private static final String PASSWORD = "scrape-secret";
  private ExporterHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static MultiCollector metrics() {
    return () ->
        MetricSnapshots.of(
            GaugeSnapshot.builder()
                .name("wago_test_value")
                .help("a value to find in the body")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(42).build())
                .build());
  }

  private ExporterHttpServer start(WebConfig web) throws Exception {
    server = ExporterHttpServer.start("127.0.0.1", 0, metrics(), List.of(), web);
    return server;
  }

  private static WebConfig tlsAndAuth() throws Exception {
    return WebConfigLoader.load(
        Path.of(WebSecurityIT.class.getResource("/webconfig/good.yml").toURI()));
  }

  /**
   * A client that trusts exactly the test certificate, as a Prometheus with {@code
   * tls_config.ca_file} would.
   */
  private static HttpClient trustingClient() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream cert = WebSecurityIT.class.getResourceAsStream("/webconfig/server.crt")) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(cert));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> get(
      HttpClient client, String url, String user, String password) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsOverTlsNeedTheRightPassword() throws Exception {
    String url = "https://127.0.0.1:" + start(tlsAndAuth()).port() + "/metrics";
    HttpClient client = trustingClient();

    HttpResponse<String> none = get(client, url, null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"wago-exporter\""));
    assertThat(none.body()).doesNotContain("wago_test_value");
    assertThat(get(client, url, "prometheus", "wrong").statusCode()).isEqualTo(401);
    assertThat(get(client, url, "nobody", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(get(client, url, "prometheus", PASSWORD + " ").statusCode()).isEqualTo(401);

    HttpResponse<String> right = get(client, url, "prometheus", PASSWORD);
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.body()).contains("wago_test_value 42.0");
    // the remembered check must not let a wrong password in after a right one
    assertThat(get(client, url, "prometheus", "wrong").statusCode()).isEqualTo(401);
    assertThat(get(client, url, "prometheus", PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void landingPageIsProtectedHealthCheckIsNot() throws Exception {
    String base = "https://127.0.0.1:" + start(tlsAndAuth()).port();
    HttpClient client = trustingClient();

    assertThat(get(client, base + "/", null, null).statusCode()).isEqualTo(401);
    assertThat(get(client, base + "/", "prometheus", PASSWORD).statusCode()).isEqualTo(200);
    HttpResponse<String> health = get(client, base + "/healthz", null, null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  @Test
  void statusPageDataIsProtectedLikeMetrics() throws Exception {
    String url = "https://127.0.0.1:" + start(tlsAndAuth()).port() + "/api/meters";
    HttpClient client = trustingClient();

    assertThat(get(client, url, null, null).statusCode()).isEqualTo(401);
    assertThat(get(client, url, "prometheus", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> meters = get(client, url, "prometheus", PASSWORD);
    assertThat(meters.statusCode()).isEqualTo(200);
    assertThat(meters.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(meters.body()).startsWith("{\"generated\":").contains("\"meters\":[]");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
    String url = "https://127.0.0.1:" + start(tlsAndAuth()).port() + "/healthz";
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> get(untrusting, url, null, null))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpIsNotServedOnTheTlsPort() throws Exception {
    String url = "http://127.0.0.1:" + start(tlsAndAuth()).port() + "/healthz";
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> get(client, url, null, null)).isInstanceOf(java.io.IOException.class);
  }

  @ParameterizedTest
  @EnumSource(value = BcryptVersion.class)
  void basicAuthWithoutTlsAcceptsEveryBcryptVariant(BcryptVersion version) throws Exception {
    String hash = new String(BCrypt.with(version.version).hashToChar(10, PASSWORD.toCharArray()));
    assertThat(hash).startsWith("$" + version.name().substring(1) + "$");
    String url =
        "http://127.0.0.1:"
            + start(new WebConfig(null, Map.of("prometheus", hash))).port()
            + "/metrics";
    HttpClient client = HttpClient.newHttpClient();

    assertThat(get(client, url, null, null).statusCode()).isEqualTo(401);
    assertThat(get(client, url, "prometheus", "wrong").statusCode()).isEqualTo(401);
    assertThat(get(client, url, "prometheus", PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutWebConfigNothingChanges() throws Exception {
    String url = "http://127.0.0.1:" + start(WebConfig.NONE).port() + "/metrics";
    HttpResponse<String> response = get(HttpClient.newHttpClient(), url, null, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("wago_test_value 42.0");
  }

  /** Median duration of {@code tries} requests, in nanoseconds. */
  private static long medianNanos(HttpClient client, String url, String user, String password)
      throws Exception {
    long[] took = new long[5];
    for (int i = 0; i < took.length; i++) {
      long start = System.nanoTime();
      assertThat(get(client, url, user, password).statusCode()).isEqualTo(401);
      took[i] = System.nanoTime() - start;
    }
    java.util.Arrays.sort(took);
    return took[took.length / 2];
  }

  /**
   * With cost 12 the old dummy hash (cost 10) made unknown users four times faster to refuse than
   * known users with a wrong password: timing told which user names exist.
   */
  @Test
  void unknownAndKnownUsersTakeAlikeAtAnyBcryptCost() throws Exception {
    String hash = new String(BCrypt.withDefaults().hashToChar(12, PASSWORD.toCharArray()));
    String url =
        "http://127.0.0.1:"
            + start(new WebConfig(null, Map.of("prometheus", hash))).port()
            + "/metrics";
    HttpClient client = HttpClient.newHttpClient();
    get(client, url, "prometheus", "warm-up");
    long known = medianNanos(client, url, "prometheus", "wrong");
    long unknown = medianNanos(client, url, "nobody", "wrong");
    assertThat((double) unknown / known)
        .as("unknown %d ms vs known %d ms", unknown / 1_000_000, known / 1_000_000)
        .isBetween(0.5, 2.0);
  }

  /**
   * bcrypt runs on a small pool of its own: a flood of wrong passwords gets 401 or 503, and never
   * slows {@code /healthz} or a scrape whose password was checked before (the old server ran bcrypt
   * on its two shared threads).
   */
  @Test
  void wrongPasswordFloodDoesNotSlowHealthzOrScrapes() throws Exception {
    String hash = new String(BCrypt.withDefaults().hashToChar(12, PASSWORD.toCharArray()));
    String base =
        "http://127.0.0.1:" + start(new WebConfig(null, Map.of("prometheus", hash))).port();
    HttpClient client = HttpClient.newHttpClient();
    assertThat(get(client, base + "/metrics", "prometheus", PASSWORD).statusCode()).isEqualTo(200);
    java.util.concurrent.atomic.AtomicBoolean flooding =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.ConcurrentLinkedQueue<Integer> statuses =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Thread> attackers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Thread t =
          new Thread(
              () -> {
                HttpClient own = HttpClient.newHttpClient();
                while (flooding.get()) {
                  try {
                    statuses.add(get(own, base + "/metrics", "prometheus", "guess").statusCode());
                  } catch (Exception e) {
                    statuses.add(-1);
                  }
                }
              });
      t.start();
      attackers.add(t);
    }
    try {
      Duration bound = dev.wagoexporter.testsupport.Timeouts.scaled(Duration.ofSeconds(1));
      Thread.sleep(500); // let the flood fill the bcrypt pool
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        assertThat(get(client, base + "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(get(client, base + "/metrics", "prometheus", PASSWORD).statusCode())
            .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound.multipliedBy(2));
      }
    } finally {
      flooding.set(false);
      for (Thread t : attackers) {
        t.join(60_000);
      }
    }
    // -1: an attacker's own request timed out (its 10 s) on a busy machine; any answer is 401 or
    // 503
    assertThat(statuses).contains(401).allMatch(s -> s == 401 || s == 503 || s == -1);
  }

  /** The prefixes htpasswd ($2y$), Python and Go ($2a$, $2b$) write. */
  enum BcryptVersion {
    V2a(BCrypt.Version.VERSION_2A),
    V2b(BCrypt.Version.VERSION_2B),
    V2y(BCrypt.Version.VERSION_2Y);

    @SuppressWarnings(
        "ImmutableEnumChecker") // bcrypt's own constants, which the tests never change
    final BCrypt.Version version;

    BcryptVersion(BCrypt.Version version) {
      this.version = version;
    }
  }

  /**
   * As exporter-toolkit: a server name the certificate lacks (a Prometheus target such as {@code
   * modbus-exporter:9100}, a request by IP) is no reason to refuse a request; the client verifies
   * the certificate (here it does not, as with {@code insecure_skip_verify}).
   */
  @Test
  void aServerNameTheCertificateLacksIsServed() throws Exception {
    int port = start(tlsAndAuth()).port();
    for (String sni : List.of("modbus-exporter", "wrong.example")) {
      try (SSLSocket socket =
          (SSLSocket) FrontDoorIT.trusting().getSocketFactory().createSocket("127.0.0.1", port)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(30_000);
        socket
            .getOutputStream()
            .write(
                ("GET /healthz HTTP/1.1\r\nHost: " + sni + ":9100\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        String answer =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(answer).as(sni).startsWith("HTTP/1.1 200").contains("ok");
      }
    }
  }
}
