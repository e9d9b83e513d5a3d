package dev.wagoexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.metrics.MeterCollector;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.poll.MeterProbes;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.ProbeTarget;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileException;
import dev.wagoexporter.profile.ProfileLoader;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /probe?target=HOST:PORT&unit_id=N&framing=tcp&profile=wago-879-30xx&name=LABEL}: reads
 * that meter now and answers with its metrics, in the same format negotiation as {@code /metrics}.
 * Bad parameters get a 400 with one line saying what to fix; a meter that does not answer gets
 * {@code wago_up 0} and the reason in the error counter.
 */
public final class ProbeHandler implements HttpHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeHandler.class);
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_NAME_LENGTH = 128;

  /** client_java's own parameters, passed through to its handler. */
  private static final Set<String> PASSED_THROUGH = Set.of("name[]", "debug");

  private static final Set<String> OWN = Set.of("target", "unit_id", "framing", "profile", "name");
  private static final String USAGE =
      "use /probe?target=HOST:PORT&unit_id=N&framing=tcp|rtu-over-tcp|auto"
          + "&profile=NAME&name=LABEL; only target is required, e.g. /probe?target=192.168.2.10:502&unit_id=1";

  private final MeterProbes probes;
  private final boolean legacy;
  private final Clock clock;
  private final Map<String, Profile> profiles = new ConcurrentHashMap<>();

  /**
   * Probes wait on Modbus replies for seconds when a gateway is down; on their own threads they
   * never hold up the server's threads and with them {@code /metrics}. Bounded, so a flood of
   * probes is refused instead of queued.
   */
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          4,
          4,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(32),
          r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
          });

  public ProbeHandler(MeterProbes probes, boolean legacy, Clock clock) {
    this.probes = probes;
    this.legacy = legacy;
    this.clock = clock;
    executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      executor.execute(() -> serve(exchange));
    } catch (RejectedExecutionException e) {
      ExporterHttpServer.respond(
          exchange,
          503,
          "text/plain; charset=utf-8",
          "too many probes in progress; retry later or lengthen the scrape interval\n");
    }
  }

  private void serve(HttpExchange exchange) {
    try {
      ProbeTarget target;
      MeterState state;
      try {
        target = parse(exchange.getRequestURI().getRawQuery());
        state = probes.probe(target);
      } catch (IllegalArgumentException e) {
        ExporterHttpServer.respond(
            exchange, 400, "text/plain; charset=utf-8", "bad probe: " + e.getMessage() + "\n");
        return;
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(MeterCollector.forProbe(state, legacy, clock));
      new MetricsHandler(registry).handle(exchange);
    } catch (IOException | RuntimeException e) {
      LOG.warn("probe {}: cannot answer: {}", exchange.getRequestURI(), e.toString());
      exchange.close();
    }
  }

  /**
   * The probed meter, or an {@link IllegalArgumentException} saying which parameter is wrong and
   * how to fix it.
   */
  ProbeTarget parse(String rawQuery) {
    Map<String, String> params = parameters(rawQuery);
    String targetText = params.get("target");
    if (targetText == null || targetText.isBlank()) {
      throw new IllegalArgumentException("target is missing; " + USAGE);
    }
    GatewayConfig gateway;
    try {
      gateway = GatewayConfig.parseHostPort(targetText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target=" + targetText + ": " + e.getMessage());
    }
    int unitId = unitId(params.getOrDefault("unit_id", "1"));
    Framing framing;
    try {
      framing =
          Framing.parse(params.getOrDefault("framing", GatewayConfig.DEFAULT_FRAMING.configName()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("framing: " + e.getMessage());
    }
    Profile profile = profile(params.getOrDefault("profile", ProfileLoader.BUILT_IN));
    String name = params.getOrDefault("name", targetText.trim());
    if (name.isEmpty()
        || name.length() > MAX_NAME_LENGTH
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "name='"
              + name
              + "' is not a usable meter label "
              + "(give 1 to "
              + MAX_NAME_LENGTH
              + " printable characters, e.g. name=heat_pump)");
    }
    return new ProbeTarget(gateway.address(), framing, unitId, profile, name, TIMEOUT);
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      // An empty value is an absent one: Prometheus relabelling sends name= when a target has no
      // __meter.
      if (PASSED_THROUGH.contains(key) || value.isEmpty() && OWN.contains(key)) {
        continue;
      }
      if (!OWN.contains(key)) {
        throw new IllegalArgumentException("unknown parameter '" + key + "'; " + USAGE);
      }
      if (params.put(key, value) != null) {
        throw new IllegalArgumentException(key + " is given twice; give it once");
      }
    }
    return params;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not valid URL encoding (escape special characters as %XX)");
    }
  }

  private static int unitId(String text) {
    int unitId;
    try {
      unitId = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "unit_id='" + text + "' is not a number (use the meter's Modbus address, 1 to 247)");
    }
    if (!ModbusLimits.isUnitId(unitId)) {
      throw new IllegalArgumentException(
          "unit_id="
              + unitId
              + " is outside 1..247 (use the meter's Modbus address; "
              + "the WAGO factory default is 1)");
    }
    return unitId;
  }

  /**
   * Built-in profiles only: a file path from an HTTP request would let anyone make the exporter
   * read local files.
   */
  private Profile profile(String name) {
    if (!ProfileLoader.builtInNames().contains(name)) {
      throw new IllegalArgumentException(
          "profile='"
              + name
              + "' is not a built-in profile (use one of "
              + String.join(", ", new TreeSet<>(ProfileLoader.builtInNames()))
              + "; profile files work only in the config file)");
    }
    return profiles.computeIfAbsent(
        name,
        n -> {
          try {
            return ProfileLoader.load(n);
          } catch (ProfileException e) {
            throw new IllegalStateException(
                "built-in profile " + n + " does not load: " + e.getMessage(), e);
          }
        });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
