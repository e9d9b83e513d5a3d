package dev.wagoexporter.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.wagoexporter.cli.Exporter;
import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.MeterConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.sim.FaultInjector;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.ManualClock;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accelerated soak (issue 6): exporter and simulator in one process, poll interval 20 ms, the
 * simulator cycling through every fault, solid and flapping, while two Prometheus-style scrapers
 * read {@code /metrics} over HTTP. The duration comes from {@code -Dsoak.duration} (default 20s,
 * split between the two framings, but at least one full cycle of faults each); {@code
 * -Dsoak.duration=30m} is the long run documented in docs/faults.md.
 *
 * <p>Asserted: every exported device value equals what the simulator held at some moment of that
 * scrape's freshness window; {@code wago_up} is 0 within one poll (plus slack) of a fault that
 * fails every request and 1 within one poll of its end (reconnect backoff added after a gateway
 * restart); each fault's errors are counted under its reasons and no other; heap after GC, thread
 * count and open file descriptors are flat.
 */
class AcceleratedSoakIT {
  private static final Logger LOG = LoggerFactory.getLogger(AcceleratedSoakIT.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration TIMEOUT = Duration.ofMillis(15);

  /**
   * Real time between two steps of the meter's clock; each step moves the household on by a minute.
   */
  private static final Duration EPOCH = Duration.ofMillis(100);

  private static final Duration METER_STEP = Duration.ofMinutes(1);

  /**
   * One poll (identity and two blocks, each up to a timeout) plus scheduling slack on a busy 2-core
   * machine.
   */
  private static final Duration ONE_POLL =
      POLL.plus(TIMEOUT.multipliedBy(3)).plus(Timeouts.scaled(Duration.ofMillis(250)));

  /**
   * The exporter retries a refused connect after 500 ms at first (BusConnection's smallest
   * backoff).
   */
  private static final Duration RECONNECT_BACKOFF = Duration.ofMillis(500);

  /**
   * Added to a fault's recovery time before "wago_up not 1 within" is a violation: on a busy
   * machine, healthy replies that miss the 15 ms timeout can fail the first polls after a fault.
   * Waiting ends as soon as wago_up is 1, so a fast machine never waits for it.
   */
  private static final Duration RECOVERY_SLACK = Timeouts.scaled(Duration.ofMillis(500));

  private static final Duration SOLID = Duration.ofMillis(700);
  private static final Duration FLAPPING = Duration.ofMillis(400);
  private static final Duration STEADY = Duration.ofMillis(300);

  /**
   * Clean polling and scraping before the first fault: class loading and JIT are not the exporter's
   * behaviour.
   */
  private static final Duration WARM_UP = Duration.ofSeconds(2);

  /**
   * A 15 ms timeout on a shared 2-core machine sometimes expires on a healthy loopback reply (GC,
   * scheduling of the simulator and proxy threads). Such timeouts are counted, correctly, as
   * timeout: the soak tells them apart from wrong reasons and bounds them. Measured on 2 cores with
   * other builds running: 2% of the requests at a load average of 15, 6% at 20 (two busy loops
   * added); the bound is for a systematic timeout where none belongs, not for the machine.
   */
  private static final double MAX_ENVIRONMENT_TIMEOUT_SHARE = 0.10;

  private static final int WAGO_VOLTAGE_L1 = 0x5002;
  private static final int WAGO_IMPORT_L1 = 0x6012;

  /**
   * A way the bus or the gateway misbehaves, and the error reasons the exporter may count for it.
   */
  private record FaultCase(
      String name,
      Fault fault,
      boolean solid,
      boolean flapping,
      Set<String> reasons,
      Duration recovery) {}

  private static List<FaultCase> cases(Framing framing) {
    boolean rtu = framing == Framing.RTU_OVER_TCP;
    // A transparent gateway (and the simulator's RTU server) serves one client: right after the
    // exporter dropped a
    // broken connection, the new one can be refused once while the old one is torn down.
    Set<String> reconnect = rtu ? Set.of("connection") : Set.of();
    return List.of(
        // a reply later than the timeout: on RTU it may arrive while the next request waits (no
        // transaction id)
        new FaultCase(
            "late reply",
            Fault.DELAY,
            false,
            true,
            plus(reconnect, rtu ? Set.of("timeout", "mismatch") : Set.of("timeout")),
            ONE_POLL),
        new FaultCase(
            "silence", Fault.SILENCE, true, true, plus(reconnect, Set.of("timeout")), ONE_POLL),
        new FaultCase(
            "garbage",
            Fault.GARBAGE,
            true,
            true,
            plus(reconnect, Set.of("timeout", "mismatch", "crc")),
            ONE_POLL),
        // Modbus TCP has no CRC: the simulator breaks the transaction id, which the exporter skips
        // until it times out
        new FaultCase(
            "bad crc",
            Fault.BAD_CRC,
            true,
            true,
            plus(reconnect, rtu ? Set.of("crc") : Set.of("timeout")),
            ONE_POLL),
        new FaultCase(
            "exception reply", Fault.EXCEPTION, true, true, Set.of("exception"), ONE_POLL),
        new FaultCase(
            "dropped connection",
            Fault.DROP_CONNECTION,
            true,
            true,
            Set.of("connection"),
            ONE_POLL),
        new FaultCase(
            "half-open connection",
            Fault.HALF_OPEN,
            true,
            true,
            plus(reconnect, Set.of("timeout")),
            ONE_POLL.plus(TIMEOUT.multipliedBy(3))),
        new FaultCase(
            "gateway restart",
            null,
            true,
            false,
            Set.of("connection"),
            ONE_POLL.plus(RECONNECT_BACKOFF)),
        new FaultCase("implausible value", null, true, true, Set.of("implausible"), ONE_POLL),
        new FaultCase("counter decrease", null, false, true, Set.of("counter_decrease"), ONE_POLL));
  }

  private static Set<String> plus(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** What one scrape showed of {@code wago_up}, and when it ran. */
  private record UpSeen(long fromNanos, long untilNanos, Double up) {}

  /** One resource reading: heap used after GC, live threads, open file descriptors. */
  private record Resources(long heapBytes, int threads, long fds) {
    static Resources now() {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return new Resources(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
          ManagementFactory.getThreadMXBean().getThreadCount(),
          ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getOpenFileDescriptorCount());
    }
  }

  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedQueue<UpSeen> upSeen = new ConcurrentLinkedQueue<>();
  private final AtomicLong checkedValues = new AtomicLong();
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong environmentTimeouts = new AtomicLong();
  private final AtomicLong lateReplyMismatches = new AtomicLong();
  private MeterState meter;
  private Framing framing;
  private volatile boolean running = true;

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void exportedValuesStayTrueUnderFlappingFaults(Framing framing) throws Exception {
    this.framing = framing;
    Duration total = Durations.parse(System.getProperty("soak.duration", "20s")).dividedBy(2);
    // moved only by the soak: between two steps every read of the meter gives the same values
    ManualClock meterClock = new ManualClock(Instant.parse("2026-01-15T06:00:00Z"));
    var faults = new FaultInjector();
    try (MeterSimulator sim =
            MeterSimulator.start(
                SimulatorOptions.defaults()
                    .withFraming(framing)
                    .withUnitIds(Set.of(1))
                    .withClock(meterClock),
                faults);
        GatewayProxy gateway = new GatewayProxy(sim.port())) {
      faults.setDelay(TIMEOUT.multipliedBy(3));
      faults.setExceptionCode(4);
      ExporterConfig config =
          new ExporterConfig(
              new ListenAddress("127.0.0.1", FreePort.onLoopback()),
              false,
              List.of(
                  new MeterConfig(
                      "main",
                      ProfileLoader.BUILT_IN,
                      new GatewayConfig("127.0.0.1", gateway.port(), framing, Duration.ZERO),
                      1,
                      POLL,
                      TIMEOUT,
                      MeterConfig.DEFAULT_MAX_REGISTERS_PER_REQUEST)));
      SimulatorTruth truth =
          new SimulatorTruth(
              sim.meter(1), meterClock, ProfileLoader.load(ProfileLoader.BUILT_IN), "main");
      try (Exporter exporter = Exporter.start(config, TimeSource.system())) {
        meter = exporter.meters().get(0);
        Duration maxAge = meter.maxSnapshotAge();
        List<Thread> helpers =
            List.of(
                daemon(
                    "meter-clock",
                    () -> {
                      while (running) {
                        sleep(EPOCH);
                        truth.advance(METER_STEP);
                        truth.forgetBefore(System.nanoTime() - Duration.ofSeconds(10).toNanos());
                      }
                    }),
                daemon("scraper-1", () -> scrapeLoop(exporter.httpPort(), truth, maxAge)),
                daemon("scraper-2", () -> scrapeLoop(exporter.httpPort(), truth, maxAge)));
        helpers.forEach(Thread::start);

        awaitUp(meter, Timeouts.scaled(Duration.ofSeconds(5)), "first poll");
        sleep(WARM_UP);
        upSeen.clear();
        long deadline = System.nanoTime() + total.toNanos();
        Resources baseline = null;
        Resources last = null;
        int cycles = 0;
        Map<String, Long> counted = new HashMap<>();
        do {
          for (FaultCase c : cases(framing)) {
            runCase(c, faults, gateway, truth, meter, counted);
            if (baseline == null && c.name().equals("dropped connection")) {
              baseline = Resources.now(); // classes loaded, pools and buffers grown, JIT warm
            }
          }
          cycles++;
          last = Resources.now();
          LOG.info(
              "soak {} cycle {}: {} scrapes, {} values checked, {}",
              framing,
              cycles,
              scrapes.get(),
              checkedValues.get(),
              last);
        } while (System.nanoTime() < deadline);
        running = false;
        for (Thread t : helpers) {
          t.join(5000);
        }

        LOG.info(
            "soak {} done: {} cycles, {} scrapes, {} values checked, errors {}, {} timeouts of"
                + " healthy replies, {} late replies refused as mismatch",
            framing,
            cycles,
            scrapes.get(),
            checkedValues.get(),
            errorsByLabel(meter),
            environmentTimeouts.get(),
            lateReplyMismatches.get());
        assertThat(violations).as("violations").isEmpty();
        assertThat(environmentTimeouts.get())
            .as("timeouts of healthy replies, of %d requests", meter.status().requests())
            .isLessThanOrEqualTo(
                Math.max(5, (long) (meter.status().requests() * MAX_ENVIRONMENT_TIMEOUT_SHARE)));
        assertThat(checkedValues.get()).as("exported device values checked").isGreaterThan(1000);
        assertThat(counted)
            .as("every fault was counted under its reasons")
            .allSatisfy((name, n) -> assertThat(n).as(name).isPositive());
        assertThat(last.heapBytes())
            .as("heap after GC, baseline %s", baseline)
            .isLessThan(baseline.heapBytes() + 16L * 1024 * 1024);
        assertThat(last.threads())
            .as("threads, baseline %s", baseline)
            .isLessThanOrEqualTo(baseline.threads() + 4);
        assertThat(last.fds())
            .as("open file descriptors, baseline %s", baseline)
            .isLessThanOrEqualTo(baseline.fds() + 8);
      } finally {
        running = false;
      }
    }
  }

  /**
   * One fault: solid (every request), then flapping (now and then), each followed by recovery and a
   * steady spell.
   */
  private void runCase(
      FaultCase c,
      FaultInjector faults,
      GatewayProxy gateway,
      SimulatorTruth truth,
      MeterState meter,
      Map<String, Long> counted)
      throws Exception {
    boolean rtu = framing == Framing.RTU_OVER_TCP;
    Map<String, Long> before = errorsByLabel(meter);
    if (c.solid()) {
      long armed = System.nanoTime();
      long environmentErrors = environmentErrors(meter);
      boolean failsPolls = startSolid(c, faults, gateway, truth);
      sleep(SOLID);
      boolean environment = !failsPolls && environmentErrors(meter) > environmentErrors;
      expectUp(
          failsPolls ? 0 : environment ? -1 : 1,
          armed + ONE_POLL.toNanos(),
          System.nanoTime(),
          c.name() + " (solid)");
      endSolid(c, faults, gateway, truth);
      recoverAndHoldSteady(c, meter, "after solid " + c.name());
    }
    if (c.flapping()) {
      long end = System.nanoTime() + FLAPPING.toNanos();
      while (System.nanoTime() < end) {
        flapOnce(c, faults, truth, meter);
        sleep(Duration.ofMillis(80));
      }
      faults.clear();
      recoverAndHoldSteady(c, meter, "after flapping " + c.name());
    }
    Map<String, Long> after = errorsByLabel(meter);
    Map<String, Long> delta = new HashMap<>();
    after.forEach((reason, n) -> delta.put(reason, n - before.get(reason)));
    long timeouts = delta.get("timeout");
    // RTU has no transaction id: a reply that comes after its request timed out (a fault's, or a
    // healthy one on a busy machine) and after the guard time can only be told from the next
    // request's reply by its length. It is a real late reply, rightly refused as mismatch; each
    // needs a timeout before it. The exporter then drops the connection (as after three timeouts
    // in a row), and the one-client RTU server may refuse the reconnects while it still holds the
    // old one: each drop may cost up to two refused connects and the polls of their back-offs
    // (0.5 s, then 1 s), all counted as connection.
    long lateMismatches =
        rtu && !c.reasons().contains("mismatch") ? Math.min(delta.get("mismatch"), timeouts) : 0;
    long drops = lateMismatches + timeouts / 3;
    long perDrop = 2 + RECONNECT_BACKOFF.multipliedBy(3).toMillis() / POLL.toMillis();
    long refusedReconnects =
        rtu && !c.reasons().contains("connection")
            ? Math.min(delta.get("connection"), drops * perDrop)
            : 0;
    lateReplyMismatches.addAndGet(lateMismatches);
    delta.merge("mismatch", -lateMismatches, Long::sum);
    delta.merge("connection", -refusedReconnects, Long::sum);
    long expected = 0;
    for (Map.Entry<String, Long> e : delta.entrySet()) {
      if (c.reasons().contains(e.getKey())) {
        expected += e.getValue();
      } else if (e.getValue() > 0 && e.getKey().equals("timeout")) {
        environmentTimeouts.addAndGet(e.getValue());
      } else if (e.getValue() > 0) {
        violations.add(
            c.name()
                + ": "
                + e.getValue()
                + " error(s) counted as "
                + e.getKey()
                + ", expected only "
                + c.reasons()
                + (rtu ? " (and late replies after " + timeouts + " timeout(s))" : ""));
      }
    }
    counted.merge(c.name(), expected, Long::sum);
  }

  /** Arms a fault for every request; true when it makes every poll fail. */
  private static boolean startSolid(
      FaultCase c, FaultInjector faults, GatewayProxy gateway, SimulatorTruth truth) {
    if (c.fault() != null) {
      faults.injectUntilCleared(c.fault());
      return true;
    }
    if (c.name().equals("gateway restart")) {
      gateway.powerOff();
      return true;
    }
    truth.overrideFloat(
        WAGO_VOLTAGE_L1, 3.67e-27f, false); // the garbage the old exporter passed on
    return false;
  }

  private static void endSolid(
      FaultCase c, FaultInjector faults, GatewayProxy gateway, SimulatorTruth truth)
      throws Exception {
    faults.clear();
    if (c.name().equals("gateway restart")) {
      gateway.powerOn();
    } else if (c.fault() == null) {
      truth.clearOverrides();
    }
  }

  /** One short fault: a single bad reply, or a bad value in the answer to exactly one request. */
  private void flapOnce(FaultCase c, FaultInjector faults, SimulatorTruth truth, MeterState meter) {
    if (c.fault() != null) {
      faults.inject(c.fault(), 1);
      return;
    }
    String reason = c.reasons().iterator().next();
    long seen = errorsByLabel(meter).get(reason);
    Duration limit = Timeouts.scaled(Duration.ofSeconds(1));
    for (int attempt = 1; ; attempt++) {
      long environment = environmentErrors(meter);
      // one refused read only: three lower polls in a row would be a replaced meter, a new baseline
      if (c.name().equals("counter decrease")) {
        truth.overrideFloatForOneRead(WAGO_IMPORT_L1, truth.floatAt(WAGO_IMPORT_L1) - 50f);
      } else {
        truth.overrideFloatForOneRead(WAGO_VOLTAGE_L1, Float.NaN);
      }
      if (waitFor(() -> errorsByLabel(meter).get(reason) > seen, limit)) {
        return;
      }
      // the reply that carried the bad value can miss the 15 ms timeout on a busy machine: then
      // it was never seen, and once more tells that from a bad value that was not counted
      if (environmentErrors(meter) == environment || attempt == 3) {
        violations.add(
            c.name() + ": the bad value was not counted as " + reason + " within " + limit);
        truth.clearOverrides();
        return;
      }
    }
  }

  private void recoverAndHoldSteady(FaultCase c, MeterState meter, String when) {
    long cleared = System.nanoTime();
    awaitUp(meter, c.recovery().plus(RECOVERY_SLACK), when);
    long recovered = System.nanoTime();
    LOG.debug("{}: up again after {} ms", when, (recovered - cleared) / 1_000_000);
    long environmentErrors = environmentErrors(meter);
    sleep(STEADY);
    // a healthy reply that missed the 15 ms timeout fails its poll (and on RTU, as a late reply,
    // maybe the next): wago_up 0 is then the truth, not a violation
    boolean environment = environmentErrors(meter) > environmentErrors;
    expectUp(environment ? -1 : 1, recovered, System.nanoTime(), when + " (steady)");
  }

  /**
   * The errors a busy machine causes with no fault injected: a timeout, and after it on RTU the
   * late reply's mismatch and the refused reconnect; runCase checks they are explained.
   */
  private static long environmentErrors(MeterState meter) {
    Map<String, Long> errors = errorsByLabel(meter);
    return errors.get("timeout") + errors.get("mismatch") + errors.get("connection");
  }

  private void awaitUp(MeterState meter, Duration limit, String when) {
    if (!waitFor(() -> meter.status().up(), limit)) {
      violations.add(
          when
              + ": wago_up not 1 within "
              + limit.toMillis()
              + " ms (last error: "
              + meter.status().lastError()
              + ")");
      waitFor(
          () -> meter.status().up(),
          Timeouts.scaled(
              Duration.ofSeconds(10))); // go on with the next fault from a working state
    }
  }

  /**
   * Every scrape that ran entirely inside [from, until] must have shown {@code wago_up == expected}
   * (-1: either).
   */
  private void expectUp(int expected, long from, long until, String what) {
    if (expected < 0) {
      upSeen.removeIf(s -> s.untilNanos() < until);
      return;
    }
    int seen = 0;
    for (UpSeen s : upSeen) {
      if (s.fromNanos() >= from && s.untilNanos() <= until) {
        seen++;
        if (s.up() == null || s.up() != expected) {
          violations.add(
              what + ": a scrape showed wago_up " + s.up() + ", reality was " + expected);
          break;
        }
      }
    }
    if (seen == 0 && until - from > Duration.ofMillis(100).toNanos()) {
      violations.add(what + ": no scrape completed in " + (until - from) / 1_000_000 + " ms");
    }
    upSeen.removeIf(s -> s.untilNanos() < until);
  }

  private void scrapeLoop(int port, SimulatorTruth truth, Duration maxAge) {
    HttpClient client =
        HttpClient.newBuilder().connectTimeout(Timeouts.scaled(Duration.ofSeconds(2))).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Timeouts.scaled(Duration.ofSeconds(5)))
            .build();
    // a value may be as old as the snapshot's maximum age, and was read up to one poll before its
    // snapshot was made
    long window = maxAge.plus(ONE_POLL).toNanos();
    while (running) {
      long from = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        if (running) {
          violations.add("scrape failed: " + e);
        }
        return;
      }
      long until = System.nanoTime();
      scrapes.incrementAndGet();
      if (response.statusCode() != 200) {
        violations.add("scrape answered HTTP " + response.statusCode());
        continue;
      }
      Map<String, Double> samples = ScrapeParser.samples(response.body());
      List<SimulatorTruth.Epoch> candidates = truth.during(from - window, until);
      samples.forEach(
          (key, value) -> {
            if (!truth.isDeviceSeries(key)) {
              return;
            }
            checkedValues.incrementAndGet();
            if (candidates.stream().noneMatch(e -> value.equals(e.values().get(key)))) {
              violations.add(
                  "exported "
                      + key
                      + " "
                      + value
                      + " is none of the simulator's values in that window: "
                      + candidates.stream().map(e -> e.values().get(key)).toList());
            }
          });
      upSeen.add(
          new UpSeen(
              from, until, samples.get(ScrapeParser.key("wago_up", Map.of("meter", "main")))));
      sleep(Duration.ofMillis(5));
    }
  }

  private static boolean waitFor(BooleanSupplier condition, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      sleep(Duration.ofMillis(1));
    }
    return true;
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The counters under their {@code wago_modbus_errors_total} labels, as the fault table names
   * them.
   */
  private static Map<String, Long> errorsByLabel(MeterState meter) {
    Map<String, Long> byLabel = new java.util.LinkedHashMap<>();
    meter.status().errors().forEach((reason, n) -> byLabel.put(reason.label(), n));
    return byLabel;
  }
}
