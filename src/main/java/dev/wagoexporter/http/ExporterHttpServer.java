package dev.wagoexporter.http;

import dev.wagoexporter.config.ListenException;
import dev.wagoexporter.config.WebConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's HTTP front door (docs/design.md, "The HTTP front door"): the routes of {@link
 * Routes}, TLS and basic auth from the web config, and the limits that keep one client from
 * stopping the others.
 *
 * <p>Why Jetty and not the JDK's {@code HttpServer}: the JDK 17 server reads the request line,
 * headers and the TLS handshake with blocking reads on its executor's threads, so every stalled
 * client holds a thread (two stalled clients stopped the old two-thread server for 70 s); its
 * {@code maxReqTime} only frees them after the timer runs, and it has no connection limit. Jetty's
 * core parses requests and runs TLS handshakes without blocking on a selector, so a stalled client
 * costs one connection and no thread, until the idle timeout closes it. Jetty core (server, http,
 * io, util: ~2 MB, no servlets) keeps the footprint small enough for the Pi.
 *
 * <p>Limits: a connection that sends nothing for {@link #IDLE_TIMEOUT_MS} (a partial request line,
 * a body that never comes, a TLS handshake that stops half way, an idle keep-alive) is closed; a
 * request head (handshake included) must be complete within {@link #HEADER_TIMEOUT} however slowly
 * it trickles in; one peer holds at most {@link #MAX_CONNECTIONS_PER_PEER} connections and all
 * together {@link #MAX_CONNECTIONS}, a new connection beyond either displacing the longest-waiting
 * one of the peer holding the most ({@link PeerLimits}), so a scrape always finds room; bcrypt runs
 * on {@link #BCRYPT_THREADS} threads of its own with a short queue, so a flood of wrong passwords
 * is refused with 503 and never slows {@code /healthz} or a scrape whose credentials were verified
 * before.
 */
public final class ExporterHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExporterHttpServer.class);

  /**
   * The request timeout of docs/design.md ("The HTTP front door"), also used for idle keep-alive
   * connections.
   */
  static final long IDLE_TIMEOUT_MS = 10_000;

  /**
   * Above what a house needs (Prometheus keeps one or two, a browser six) and far above a handful
   * of bad clients; below the 1,024 open files a default ulimit allows.
   */
  static final int MAX_CONNECTIONS = 900;

  /**
   * Prometheus keeps one or two connections, a browser six, a status page left open a few more; one
   * address past this is a flood (or many clients behind one NAT, which still get this many).
   */
  static final int MAX_CONNECTIONS_PER_PEER = 64;

  /** Time to deliver a whole request head, from the connection's opening or its last answer. */
  static final Duration HEADER_TIMEOUT = Duration.ofMillis(IDLE_TIMEOUT_MS);

  /**
   * Jetty's own cap stops accepting when reached, which would lock every client out; {@link
   * PeerLimits} keeps the count at {@link #MAX_CONNECTIONS}, and this only bounds open files should
   * closing ever lag behind a burst of accepts.
   */
  private static final int HARD_CONNECTION_LIMIT = MAX_CONNECTIONS + 64;

  /**
   * Server threads: the selector, which also sends every answer already made, and workers for the
   * answers to make (a scrape after a poll, {@code /api/meters}).
   */
  private static final int MAX_THREADS = 12;

  private static final int BCRYPT_THREADS = 2;
  private static final int BCRYPT_QUEUE = 4;
  private static final String ALLOW = "GET, HEAD";

  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor bcrypt;
  private final boolean tls;

  private ExporterHttpServer(
      Server server, ServerConnector connector, ThreadPoolExecutor bcrypt, boolean tls) {
    this.server = server;
    this.connector = connector;
    this.bcrypt = bcrypt;
    this.tls = tls;
  }

  /**
   * Serves the standard routes without {@code /probe}: for tests and tools that need the server
   * alone.
   */
  public static ExporterHttpServer start(
      String host,
      int port,
      io.prometheus.metrics.model.registry.MultiCollector metrics,
      List<dev.wagoexporter.poll.MeterState> meters,
      WebConfig web)
      throws IOException {
    return start(
        host,
        port,
        web,
        Routes.standard(metrics, meters, null, dev.wagoexporter.time.TimeSource.system()));
  }

  /**
   * Starts serving the routes behind one front door (TLS and basic auth from {@code web}).
   *
   * @param host "" for all interfaces
   * @throws ListenException when the address cannot be listened on (e.g. the port is in use)
   */
  public static ExporterHttpServer start(String host, int port, WebConfig web, List<Route> routes)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
    threads.setName("http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(IDLE_TIMEOUT_MS);
    // Heap buffers: the Pi launcher caps direct memory at 16 MiB, and hundreds of stalled clients
    // each holding a pooled direct buffer must not reach that cap; the heap's GC handles them.
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
    if (web.tlsEnabled()) {
      // As Prometheus' exporter-toolkit (Go's crypto/tls): the one certificate is served whatever
      // name the client asked for, and no request is refused for its SNI. Jetty's default
      // customizer
      // answers 400 "Invalid SNI" to a name the certificate lacks and to requests by an IP address
      // without an IP SAN, /healthz included; the client's own verification is what protects it.
      http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    }
    HttpConnectionFactory plain = new HttpConnectionFactory(http);
    ServerConnector connector;
    if (web.tls() != null) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(web.tls().context());
      SslConnectionFactory tls = new SslConnectionFactory(ssl, plain.getProtocol());
      tls.setDirectBuffersForEncryption(false);
      tls.setDirectBuffersForDecryption(false);
      connector = new ServerConnector(server, 0, 1, tls, plain);
    } else {
      connector = new ServerConnector(server, 0, 1, plain);
    }
    connector.setHost(host.isEmpty() ? null : host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    connector.setAcceptQueueSize(64);
    server.addConnector(connector);
    PeerLimits peers =
        new PeerLimits(
            MAX_CONNECTIONS_PER_PEER, MAX_CONNECTIONS, HEADER_TIMEOUT, connector.getScheduler());
    connector.addBean(peers);
    server.addBean(new NetworkConnectionLimit(HARD_CONNECTION_LIMIT, connector));
    BcryptAuthenticator auth =
        web.basicAuthEnabled() ? new BcryptAuthenticator(web.basicAuthUsers()) : null;
    ThreadPoolExecutor bcrypt =
        new ThreadPoolExecutor(
            BCRYPT_THREADS,
            BCRYPT_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BCRYPT_QUEUE),
            r -> {
              Thread t = new Thread(r, "bcrypt");
              t.setDaemon(true);
              return t;
            });
    bcrypt.allowCoreThreadTimeOut(true);
    server.setHandler(new Dispatcher(routes, auth, bcrypt, threads, peers));
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      bcrypt.shutdownNow();
      String address = (host.isEmpty() ? "*" : host) + ":" + port;
      if (causedBy(e, BindException.class)) {
        throw new ListenException(
            address,
            "",
            e,
            "another program, e.g. node_exporter, may use this port: choose another with --listen,"
                + " e.g. --listen :9101");
      }
      throw new IOException("cannot start the HTTP server on " + address + ": " + e, e);
    }
    return new ExporterHttpServer(server, connector, bcrypt, web.tlsEnabled());
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http} or {@code https}, for the start-up log line. */
  public String scheme() {
    return tls ? "https" : "http";
  }

  @Override
  public void close() {
    stopQuietly(server);
    bcrypt.shutdownNow();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.debug("stopping the HTTP server: {}", e.toString());
    }
  }

  /**
   * Method, exact path, parameters, auth, then the route's endpoint: every rule of docs/design.md's
   * front door in one place, before any endpoint runs.
   *
   * <p>Non-blocking: it runs on the thread that parsed the request (the selector), which checks,
   * sends an answer already made ({@link Endpoint#ready}) and hands everything else on: answers to
   * make to the server's workers, bcrypt to its own threads, {@code /probe} to its executor. A
   * blocking handler would have every request handed to a worker thread, and on two busy cores that
   * hand-over made the tail of {@code /metrics} (BENCHMARKS.md: p99 8.6-9.3 ms against 2.6-4.2 ms,
   * wrk -t2 -c16).
   */
  private static final class Dispatcher extends Handler.Abstract.NonBlocking {
    private final Map<String, Route> routes = new LinkedHashMap<>();

    /** None when basic auth is off. */
    private final @Nullable BcryptAuthenticator auth;

    private final Executor bcrypt;
    private final Executor workers;
    private final PeerLimits peers;

    Dispatcher(
        List<Route> routes,
        @Nullable BcryptAuthenticator auth,
        Executor bcrypt,
        Executor workers,
        PeerLimits peers) {
      for (Route route : routes) {
        if (this.routes.put(route.path(), route) != null) {
          throw new IllegalArgumentException("two routes for " + route.path());
        }
      }
      this.auth = auth;
      this.bcrypt = bcrypt;
      this.workers = workers;
      this.peers = peers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      peers.requestStarted(request);
      String method = request.getMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
        send(
            response,
            callback,
            Answer.text(405, "method " + method + " is not allowed; use GET (or HEAD)\n"));
        return true;
      }
      // The path as sent: Jetty's decoded path has dot segments resolved and ";params" dropped,
      // which would serve /./metrics and /metrics;x=1 although paths match exactly.
      String path = request.getHttpURI().getPath();
      Route route = routes.get(path);
      if (route == null) {
        send(
            response,
            callback,
            Answer.text(404, "not found: " + printable(path) + "; see / for the endpoints\n"));
        return true;
      }
      Query query;
      try {
        query = query(request, method, path);
      } catch (BadRequest e) {
        send(response, callback, Answer.text(400, e.getMessage() + "\n"));
        return true;
      }
      if (route.open() || auth == null) {
        dispatch(route, query, response, callback);
        return true;
      }
      BcryptAuthenticator.Credentials credentials =
          BcryptAuthenticator.Credentials.parse(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      if (credentials == null) {
        unauthorized(response, callback);
      } else if (auth.remembered(credentials)) {
        dispatch(route, query, response, callback);
      } else {
        try {
          bcrypt.execute(
              () -> {
                if (auth.verify(credentials)) {
                  dispatch(route, query, response, callback);
                } else {
                  unauthorized(response, callback);
                }
              });
        } catch (RejectedExecutionException e) {
          response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
          send(
              response,
              callback,
              Answer.text(503, "too many password checks at once; retry in a second\n"));
        }
      }
      return true;
    }

    private static void unauthorized(Response response, Callback callback) {
      response
          .getHeaders()
          .put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"wago-exporter\", charset=\"UTF-8\"");
      send(response, callback, Answer.text(401, "unauthorized\n"));
    }

    private void dispatch(Route route, Query query, Response response, Callback callback) {
      Answer ready = route.executor() == null ? route.endpoint().ready(query) : null;
      if (ready != null) {
        send(response, callback, ready);
        return;
      }
      Runnable answer = () -> send(response, callback, answer(route, query));
      Executor executor = route.executor() == null ? workers : route.executor();
      try {
        executor.execute(answer);
      } catch (RejectedExecutionException e) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        send(
            response,
            callback,
            Answer.text(
                503,
                "too many "
                    + route.path()
                    + " requests in progress; retry later or lengthen the scrape interval\n"));
      }
    }

    private static Answer answer(Route route, Query query) {
      try {
        return route.endpoint().answer(query);
      } catch (BadRequest e) {
        return Answer.text(400, e.getMessage() + "\n");
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: cannot answer: {}", route.path(), e.toString(), e);
        return Answer.text(500, "internal error: " + e + "\n");
      }
    }

    private static Query query(Request request, String method, String path) {
      String raw = request.getHttpURI().getQuery();
      Map<String, List<String>> parameters = new LinkedHashMap<>();
      if (raw != null) {
        for (String pair : raw.split("&", -1)) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String name = decode(eq < 0 ? pair : pair.substring(0, eq));
          String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
          if (hasControl(name) || hasControl(value)) {
            throw new BadRequest(
                "parameter '"
                    + printable(name)
                    + "' contains a control character; remove it (e.g. a newline pasted into a"
                    + " target)");
          }
          parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
      }
      HttpFields headers = request.getHeaders();
      return new Query(
          method,
          path,
          raw,
          parameters,
          name -> headers.getFields(name).stream().map(HttpField::getValue).toList());
    }

    private static String decode(String text) {
      try {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new BadRequest(
            "'"
                + printable(text)
                + "' is not valid URL encoding (escape special characters as %XX)");
      }
    }

    private static boolean hasControl(String s) {
      return s.chars().anyMatch(Character::isISOControl);
    }

    /** Control characters shown escaped, so a message cannot forge log lines or headers. */
    private static String printable(String s) {
      StringBuilder out = new StringBuilder();
      s.codePoints()
          .limit(200)
          .forEach(
              c -> {
                if (Character.isISOControl(c)) {
                  out.append(String.format("\\x%02x", c));
                } else {
                  out.appendCodePoint(c);
                }
              });
      return out.toString();
    }

    private static void send(Response response, Callback callback, Answer answer) {
      response.setStatus(answer.status());
      HttpFields.Mutable headers = response.getHeaders();
      answer.headers().forEach(headers::put);
      headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
      headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      // Jetty sends no body for HEAD, but checks that the declared length was written.
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
  }
}
