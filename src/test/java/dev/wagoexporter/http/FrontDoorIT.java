package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.ListenException;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.config.WebConfigLoader;
import dev.wagoexporter.testsupport.Timeouts;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front door of docs/design.md over real loopback sockets: stalled and idle clients cost a
 * connection each, not a thread, so {@code /metrics} and {@code /healthz} stay answered; methods,
 * paths and parameters are refused with the right status. The old JDK server with two threads hung
 * on two stalled clients for as long as they stayed.
 */
class FrontDoorIT {
  /**
   * Generous bound for one request on a busy 2-core machine, scaled by {@link Timeouts}: it only
   * tells "answered" from "hung behind the stalled clients" (docs/design.md, "The HTTP front door":
   * no handful of clients makes /metrics or /healthz slower than 1 s).
   */
  static final Duration ANSWERED_WITHIN = Timeouts.scaled(Duration.ofSeconds(1));

  private ExporterHttpServer server;
  private final List<Socket> clients = new ArrayList<>();
  private final List<SocketChannel> channels = new ArrayList<>();
  private final List<Thread> tricklers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Thread t : tricklers) {
      t.interrupt();
      t.join();
    }
    for (SocketChannel c : channels) {
      c.close();
    }
    for (Socket s : clients) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static MultiCollector metrics() {
    return () ->
        MetricSnapshots.of(
            GaugeSnapshot.builder()
                .name("wago_test_value")
                .help("a value to find in the body")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(42).build())
                .build());
  }

  private int start(WebConfig web) throws Exception {
    server = ExporterHttpServer.start("127.0.0.1", 0, metrics(), List.of(), web);
    return server.port();
  }

  private Socket connect(int port, String send) throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    clients.add(s);
    if (!send.isEmpty()) {
      OutputStream out = s.getOutputStream();
      out.write(send.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    return s;
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The request is answered 200 within {@link #ANSWERED_WITHIN}; a hang fails it. */
  private static void answeredQuickly(HttpClient client, String url, String expectedBody)
      throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get(client, url);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    assertThat(response.body()).contains(expectedBody);
    assertThat(took)
        .as("%s answered while bad clients hold connections", url)
        .isLessThan(ANSWERED_WITHIN);
  }

  @Test
  void stalledAndIdleClientsDoNotDelayScrapes() throws Exception {
    int port = start(WebConfig.NONE);
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    get(client, base + "/metrics"); // warm up the client
    for (int i = 0; i < 200; i++) {
      connect(port, "GET /metrics HTTP/1.1\r\n");
    }
    for (int i = 0; i < 500; i++) {
      connect(port, "");
    }
    for (int i = 0; i < 5; i++) {
      answeredQuickly(client, base + "/metrics", "wago_test_value 42");
      answeredQuickly(client, base + "/healthz", "ok");
      // a new connection each time too, not only the client's kept-alive one
      answeredQuickly(HttpClient.newHttpClient(), base + "/healthz", "ok");
    }
  }

  /** Opens a connection that sends {@code first} now; the caller trickles the rest. */
  private SocketChannel open(int port, String first) throws Exception {
    SocketChannel c =
        SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    channels.add(c);
    c.write(ByteBuffer.wrap(first.getBytes(StandardCharsets.ISO_8859_1)));
    c.configureBlocking(false);
    return c;
  }

  /** One header byte on each connection every {@code period}, until the test ends. */
  private void trickle(List<SocketChannel> connections, Duration period) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                for (SocketChannel c : connections) {
                  try {
                    c.write(ByteBuffer.wrap(new byte[] {'a'}));
                  } catch (IOException e) {
                    // closed by the server: what the limits are for
                  }
                }
                try {
                  Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "trickle");
    t.setDaemon(true);
    t.start();
    tricklers.add(t);
  }

  /** The server closed it: a read sees the end of the stream (or a reset). */
  private static boolean closedByServer(SocketChannel c) {
    try {
      return c.read(ByteBuffer.allocate(256)) < 0;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aTricklingFloodFromOnePeerDoesNotLockOutScrapes() throws Exception {
    int port = start(WebConfig.NONE);
    String base = "http://127.0.0.1:" + port;
    HttpClient kept = HttpClient.newHttpClient();
    get(kept, base + "/metrics"); // warm up the client
    // As many connections as the server's cap, each sending a request head one byte at a time,
    // never idle: before the per-peer limit and the head deadline they held every slot.
    List<SocketChannel> flood = new ArrayList<>();
    for (int i = 0; i < ExporterHttpServer.MAX_CONNECTIONS; i++) {
      flood.add(open(port, "GET /metrics HTTP/1.1\r\nX-Slow: "));
    }
    trickle(flood, Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      // from the flooding address itself (loopback): a new connection always gets in
      answeredQuickly(HttpClient.newHttpClient(), base + "/metrics", "wago_test_value 42");
      answeredQuickly(HttpClient.newHttpClient(), base + "/healthz", "ok");
    }
    long open = flood.stream().filter(c -> !closedByServer(c)).count();
    assertThat(open).isLessThanOrEqualTo(ExporterHttpServer.MAX_CONNECTIONS_PER_PEER);
  }

  @Test
  void aRequestHeadTrickledInIsClosedAfterTheHeaderTimeout() throws Exception {
    int port = start(WebConfig.NONE);
    SocketChannel slow = open(port, "GET /metrics HTTP/1.1\r\nX-Slow: ");
    trickle(List.of(slow), Duration.ofMillis(500));
    long start = System.nanoTime();
    await()
        .atMost(ExporterHttpServer.HEADER_TIMEOUT.plus(Timeouts.scaled(Duration.ofSeconds(10))))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> closedByServer(slow));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThan(ExporterHttpServer.HEADER_TIMEOUT.minusSeconds(1));
  }

  @Test
  void onePeerHoldsAtMostItsShareAndTheNewestConnectionIsServed() throws Exception {
    int port = start(WebConfig.NONE);
    List<SocketChannel> silent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      silent.add(open(port, ""));
    }
    SocketChannel newest = silent.get(silent.size() - 1);
    int over = silent.size() - ExporterHttpServer.MAX_CONNECTIONS_PER_PEER;
    await()
        .atMost(Timeouts.scaled(Duration.ofSeconds(5)))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> silent.stream().filter(FrontDoorIT::closedByServer).count() >= over);
    newest.configureBlocking(true);
    newest.write(
        ByteBuffer.wrap(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
    String answer =
        new String(newest.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(answer).startsWith("HTTP/1.1 200");
  }

  @Test
  void requestWhoseBodyNeverComesDoesNotDelayOthersAndIsClosed() throws Exception {
    int port = start(WebConfig.NONE);
    HttpClient client = HttpClient.newHttpClient();
    get(client, "http://127.0.0.1:" + port + "/healthz"); // warm up the client
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stalled.add(
          connect(
              port,
              "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial body"));
      stalled.add(connect(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    }
    answeredQuickly(client, "http://127.0.0.1:" + port + "/healthz", "ok");
    answeredQuickly(client, "http://127.0.0.1:" + port + "/metrics", "wago_test_value");
    // The server closes them after its idle timeout (10 s): each read ends with EOF.
    Socket partialHeaders = stalled.get(1);
    partialHeaders.setSoTimeout(30_000);
    InputStream in = partialHeaders.getInputStream();
    long start = System.nanoTime();
    while (in.read() >= 0) {
      // a 400 or nothing before the close
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(Duration.ofSeconds(25))
        .isGreaterThan(Duration.ofSeconds(5));
  }

  @Test
  void stalledTlsHandshakesDoNotDelayHttpsScrapes() throws Exception {
    WebConfig tls =
        WebConfigLoader.load(
            Path.of(FrontDoorIT.class.getResource("/webconfig/tls-only.yml").toURI()));
    int port = start(tls);
    HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build();
    // warm up: the client's first TLS handshake loads and initialises its classes, for a second
    get(client, "https://localhost:" + port + "/healthz");
    // The first bytes of a TLS record (handshake, TLS 1.2), then nothing.
    for (int i = 0; i < 100; i++) {
      Socket s = connect(port, "");
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x03, 0x00, (byte) 0xc8, 0x01});
      s.getOutputStream().flush();
    }
    for (int i = 0; i < 100; i++) {
      connect(port, "");
    }
    for (int i = 0; i < 3; i++) {
      answeredQuickly(client, "https://localhost:" + port + "/healthz", "ok");
      answeredQuickly(client, "https://localhost:" + port + "/metrics", "wago_test_value");
    }
  }

  static SSLContext trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream cert = FrontDoorIT.class.getResourceAsStream("/webconfig/server.crt")) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(cert));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** Sends one request by hand and returns the whole response (the server closes after it). */
  static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "PROPFIND"})
  void onlyGetAndHeadAreServed(String method) throws Exception {
    int port = start(WebConfig.NONE);
    String response =
        raw(
            port,
            method
                + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: GET, HEAD");
    assertThat(response).doesNotContain("wago_test_value");
  }

  @Test
  void headAnswersHeadersWithoutBody() throws Exception {
    int port = start(WebConfig.NONE);
    String response = raw(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: ");
    assertThat(response).doesNotContain("wago_test_value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/metricsX", "/metrics/", "/healthzz", "/probe", "/index.html"})
  void pathsMatchExactly(String path) throws Exception {
    int port = start(WebConfig.NONE);
    HttpResponse<String> response =
        get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + path);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("not found").doesNotContain("wago_test_value");
  }

  @Test
  void ambiguousPathsAreNotServed() throws Exception {
    int port = start(WebConfig.NONE);
    for (String path : List.of("//metrics", "/x/../metrics%2f", "/%2e%2e/metrics")) {
      String response =
          raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(response)
          .as(path)
          .matches("(?s)HTTP/1.1 40[04] .*")
          .doesNotContain("wago_test_value");
    }
  }

  @Test
  void dotSegmentsAndPathParametersAreNotServed() throws Exception {
    int port = start(WebConfig.NONE);
    for (String path : List.of("/./metrics", "/metrics;x=1", "/healthz;", "/./healthz")) {
      String response =
          raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(response)
          .as(path)
          .matches("(?s)HTTP/1.1 40[04] .*")
          .doesNotContain("wago_test_value");
    }
  }

  @Test
  void malformedEscapesAre400() throws Exception {
    int port = start(WebConfig.NONE);
    String response =
        raw(port, "GET /metrics?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("wago_test_value");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"debug=xyz", "debug=", "name[]=%0awago", "name[]=a%00b", "debug=text%0d%0aX:1"})
  void badQueryParametersAre400(String query) throws Exception {
    int port = start(WebConfig.NONE);
    HttpResponse<String> response =
        get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/metrics?" + query);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isNotBlank().doesNotContain("wago_test_value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"debug=text", "debug=openmetrics", "name[]=wago_test_value"})
  void clientJavaParametersStillWork(String query) throws Exception {
    int port = start(WebConfig.NONE);
    HttpResponse<String> response =
        get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/metrics?" + query);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("wago_test_value");
  }

  @Test
  void idleKeepAliveConnectionIsClosedAfterTheTimeout() throws Exception {
    int port = start(WebConfig.NONE);
    Socket s = connect(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    s.setSoTimeout(30_000);
    InputStream in = s.getInputStream();
    await().atMost(Duration.ofSeconds(30)).until(() -> in.read() < 0);
  }

  @Test
  void aPortInUseIsAListenExceptionNamingTheAddress() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  ExporterHttpServer.start("127.0.0.1", port, metrics(), List.of(), WebConfig.NONE))
          .isInstanceOf(ListenException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
          .hasMessageContaining("in use");
    }
  }
}
