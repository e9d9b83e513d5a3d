package dev.wagoexporter.http;

import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.InvalidSettingException;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ProbeConfig;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.metrics.MeterCollector;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.poll.MeterProbes;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.ProbeTarget;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileException;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.time.TimeSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code /probe?target=HOST:PORT&unit_id=N&framing=tcp&profile=wago-879-30xx&name=LABEL}: reads
 * that meter now and answers with its metrics, in the same format negotiation as {@code /metrics}.
 * Bad parameters get a 400 with one line saying what to fix; a target the config does not allow
 * (docs/design.md, "The HTTP front door": configured gateways, {@code probe.allowed_targets}, never
 * the exporter itself) gets a 403; a meter that does not answer gets {@code wago_up 0} and the
 * reason in the error counter.
 */
public final class ProbeEndpoint implements Endpoint, AutoCloseable {
  /** The longest wait for one Modbus reply; a shorter scrape timeout shortens it. */
  static final Duration MAX_REPLY_TIMEOUT = Duration.ofSeconds(2);

  /** Prometheus' default scrape timeout, for requests without the header. */
  static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * blackbox_exporter's {@code getTimeout}: the answer must be sent before Prometheus gives up, so
   * the probe ends this much before the scrape timeout.
   */
  static final Duration TIMEOUT_OFFSET = Duration.ofMillis(500);

  static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
  private static final int MAX_NAME_LENGTH = 128;

  /** client_java's own parameters, passed through to its handler. */
  private static final Set<String> PASSED_THROUGH = Set.of("name[]", "debug");

  private static final Set<String> OWN = Set.of("target", "unit_id", "framing", "profile", "name");
  private static final String USAGE =
      "use /probe?target=HOST:PORT&unit_id=N&framing=tcp|rtu-over-tcp|auto"
          + "&profile=NAME&name=LABEL; only target is required, e.g."
          + " /probe?target=192.168.2.10:502&unit_id=1";

  private final MeterProbes probes;
  private final boolean legacy;
  private final TimeSource time;
  private final Set<GatewayAddress> configured;
  private final ProbeConfig allowed;
  private final SelfAddress self;
  private final Map<String, Profile> profiles = new ConcurrentHashMap<>();

  /**
   * Probes wait on Modbus replies for seconds when a gateway is down; on their own threads they
   * never hold up the server's threads and with them {@code /metrics}. Bounded, so a flood of
   * probes is refused with 503 instead of queued.
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

  /**
   * @param configured the config's gateways, which are always allowed
   * @param listen the exporter's own address, which is never a target
   */
  public ProbeEndpoint(
      MeterProbes probes,
      boolean legacy,
      TimeSource time,
      Set<GatewayAddress> configured,
      ProbeConfig allowed,
      ListenAddress listen) {
    this.probes = probes;
    this.legacy = legacy;
    this.time = time;
    this.configured = Set.copyOf(configured);
    this.allowed = allowed;
    this.self = new SelfAddress(listen);
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * When the probe on this thread reached the exporter ({@link TimeSource#nanoTime}): a probe
   * queued behind others spent part of Prometheus' scrape timeout already.
   */
  private static final ThreadLocal<Long> ARRIVED = new ThreadLocal<>();

  /** Runs each probe on the probe threads, remembering when it arrived for its budget. */
  Executor executor() {
    return task -> {
      long arrived = time.nanoTime();
      executor.execute(
          () -> {
            ARRIVED.set(arrived);
            try {
              task.run();
            } finally {
              ARRIVED.remove();
            }
          });
    };
  }

  /** The budget less the time since the probe arrived (queued for a probe thread). */
  private Duration left(Duration budget) {
    Long arrived = ARRIVED.get();
    return arrived == null ? budget : budget.minusNanos(time.nanoTime() - arrived);
  }

  @Override
  public Answer answer(Query query) throws IOException {
    try {
      return probe(query);
    } catch (BadRequest e) {
      throw new BadRequest("bad probe: " + e.getMessage());
    }
  }

  private Answer probe(Query query) throws IOException {
    for (String name : query.parameters().keySet()) {
      if (!OWN.contains(name) && !PASSED_THROUGH.contains(name)) {
        throw new BadRequest("unknown parameter '" + name + "'; " + USAGE);
      }
    }
    ScrapeAnswer.checkParameters(query);
    Duration budget = budget(query.header(SCRAPE_TIMEOUT_HEADER));
    // the whole budget counts from the probe's arrival: the time it waited for a probe thread, then
    // for the bus (behind configured polls and other probes), then one reply's timeout
    Duration left = left(budget);
    boolean timeIsUp = left.isNegative() || left.isZero();
    ProbeTarget target = parse(query, replyTimeout(timeIsUp ? Duration.ofMillis(1) : left));
    Answer refused = refusal(target.gateway());
    if (refused != null) {
      return refused;
    }
    MeterState state;
    try {
      if (timeIsUp) {
        throw new MeterProbes.BusBusyException(
            "this probe waited "
                + budget.minus(left).toMillis()
                + " ms behind other probes, and the scrape's time is up; probe less often or give"
                + " the scrape a longer timeout");
      }
      state = probes.probe(target, left(budget).minus(target.timeout()));
    } catch (MeterProbes.FramingConflictException e) {
      // only this is the user's to fix; any other exception of the probe's code is a bug and
      // reaches the server as one (500), never as "bad probe"
      throw new BadRequest(e.getMessage());
    } catch (MeterProbes.BusBusyException e) {
      return new Answer(
          503,
          Answer.TEXT,
          Map.of("Retry-After", "5"),
          (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.text(503, "the exporter is stopping\n");
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(MeterCollector.forProbe(state, legacy, time));
    return new ScrapeAnswer(registry).answer(query);
  }

  /** 403 with what to change; none when the config allows this target. */
  private @Nullable Answer refusal(GatewayAddress target) {
    if (self.is(target)) {
      return Answer.text(
          403,
          "target="
              + target
              + " is this exporter's own HTTP address; a probe reads Modbus gateways, give the"
              + " gateway's address (e.g. target=192.168.2.10:502)\n");
    }
    if (configured.contains(target) || allowed.allows(target)) {
      return null;
    }
    return Answer.text(
        403,
        "target="
            + target
            + " is not a configured gateway; /probe reads only those unless the config file"
            + " allows more, e.g. probe: {allowed_targets: [\""
            + target
            + "\"]} (see docs/multi-site.md)\n");
  }

  /**
   * The probe's whole time budget: Prometheus' scrape timeout less {@link #TIMEOUT_OFFSET}, as
   * blackbox_exporter does.
   */
  static Duration budget(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT_SCRAPE_TIMEOUT.minus(TIMEOUT_OFFSET);
    }
    double seconds;
    try {
      seconds = Double.parseDouble(header.trim());
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds > 0) || seconds > 3600) {
      throw new BadRequest(
          SCRAPE_TIMEOUT_HEADER
              + ": '"
              + header
              + "' is not a number of seconds from 0 to 3600 (Prometheus sends e.g. 10)");
    }
    Duration timeout = Duration.ofMillis((long) (seconds * 1000));
    Duration less = timeout.minus(TIMEOUT_OFFSET);
    // blackbox_exporter: a scrape timeout shorter than the offset is used whole.
    return less.isNegative() || less.isZero() ? timeout : less;
  }

  /** One Modbus reply may take the whole budget, but no more than {@link #MAX_REPLY_TIMEOUT}. */
  static Duration replyTimeout(Duration budget) {
    return Durations.min(budget, MAX_REPLY_TIMEOUT);
  }

  /**
   * The probed meter, or a {@link BadRequest} saying which parameter is wrong and how to fix it.
   */
  ProbeTarget parse(Query query, Duration timeout) {
    String targetText = emptyAsAbsent(query.parameter("target"));
    if (targetText == null || targetText.isBlank()) {
      throw new BadRequest("target is missing; " + USAGE);
    }
    GatewayAddress gateway;
    try {
      gateway = GatewayAddress.parse(targetText);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("target=" + targetText + ": " + e.getMessage());
    }
    int unitId = unitId(orDefault(query.parameter("unit_id"), "1"));
    Framing framing;
    try {
      framing =
          Framing.parse(
              orDefault(query.parameter("framing"), GatewayConfig.DEFAULT_FRAMING.configName()));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("framing: " + e.getMessage());
    }
    Profile profile = profile(orDefault(query.parameter("profile"), ProfileLoader.BUILT_IN));
    String name = orDefault(query.parameter("name"), targetText.trim());
    if (name.length() > MAX_NAME_LENGTH) {
      throw new BadRequest(
          "name='"
              + name.substring(0, 20)
              + "...' is not a usable meter label "
              + "(give 1 to "
              + MAX_NAME_LENGTH
              + " printable characters, e.g. name=heat_pump)");
    }
    return new ProbeTarget(gateway, framing, unitId, profile, name, timeout);
  }

  /** Prometheus relabelling sends {@code name=} when a target has no {@code __meter}. */
  private static @Nullable String emptyAsAbsent(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String orDefault(@Nullable String value, String absent) {
    String v = emptyAsAbsent(value);
    return v == null ? absent : v;
  }

  private static int unitId(String text) {
    try {
      return UnitIds.parse("unit_id", text);
    } catch (InvalidSettingException e) {
      throw new BadRequest("unit_id: " + e.getMessage());
    }
  }

  /**
   * Built-in profiles only: a file path from an HTTP request would let anyone make the exporter
   * read local files.
   */
  private Profile profile(String name) {
    if (!ProfileLoader.builtInNames().contains(name)) {
      throw new BadRequest(
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

  /** For tests: the parameters as one query string would give them. */
  static Query query(Map<String, String> parameters) {
    Map<String, List<String>> params = new java.util.LinkedHashMap<>();
    parameters.forEach((k, v) -> params.put(k, List.of(v)));
    return Query.get("/probe", params);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
