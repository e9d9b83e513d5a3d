package dev.wagoexporter.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.status.MetersApi;
import dev.wagoexporter.status.StatusPage;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} (client_java's handler: text 0.0.4 by default, OpenMetrics and protobuf on
 * request, gzip), {@code /healthz} (the process is alive), {@code /} (the live status page) and
 * {@code /api/meters} (its data). With a web config: TLS, and basic auth on {@code /metrics},
 * {@code /} and {@code /api/meters}; {@code /healthz} stays open, so a container health check needs
 * no password, and tells nothing but "ok".
 */
public final class ExporterHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Authenticator auth;

  private ExporterHttpServer(HttpServer server, ExecutorService executor, Authenticator auth) {
    this.server = server;
    this.auth = auth;
    this.executor = executor;
  }

  /**
   * @param host "" for all interfaces
   */
  /**
   * @param host "" for all interfaces
   * @param metrics what {@code /metrics} serves
   */
  public static ExporterHttpServer start(
      String host, int port, MultiCollector metrics, List<MeterState> meters, WebConfig web)
      throws IOException {
    // Without TCP_NODELAY the JDK server sends headers and body in two segments and the second
    // waits for the
    // client's delayed ACK: 40 ms per scrape (bench/run.sh measured ~300 requests/s and p50 48 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    InetSocketAddress address =
        host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    HttpServer server;
    if (web.tlsEnabled()) {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(web.tls().context()));
      server = https;
    } else {
      server = HttpServer.create(address, 16);
    }
    Authenticator auth =
        web.basicAuthEnabled()
            ? new BcryptAuthenticator("wago-exporter", web.basicAuthUsers())
            : null;
    // Two threads are plenty for Prometheus plus a browser, and keep the footprint small on a Pi.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    protect(server.createContext("/metrics", new MetricsEndpoint(metrics)), auth);
    server.createContext(
        "/healthz", exchange -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
    // The status page and its data: thin adapters, the content is built without server types.
    protect(
        server.createContext(
            "/",
            exchange -> {
              if (exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 200, "text/html; charset=utf-8", StatusPage.html());
              } else {
                notFound(exchange);
              }
            }),
        auth);
    protect(
        server.createContext(
            "/api/meters",
            exchange -> {
              if (exchange.getRequestURI().getPath().equals("/api/meters")) {
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                // The system clock, as the exporter's collector uses outside tests.
                respond(exchange, 200, "application/json", MetersApi.json(meters, Instant.now()));
              } else {
                notFound(exchange);
              }
            }),
        auth);
    server.start();
    return new ExporterHttpServer(server, executor, auth);
  }

  private static void protect(HttpContext context, Authenticator auth) {
    if (auth != null) {
      context.setAuthenticator(auth);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Adds an endpoint to the running server, e.g. {@code /probe}, behind the same basic auth as
   * {@code /metrics}; a longer path wins over {@code /}.
   */
  public void serve(String path, HttpHandler handler) {
    protect(server.createContext(path, handler), auth);
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    respond(exchange, 404, "text/plain; charset=utf-8", "not found; see / for the endpoints\n");
  }

  static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
