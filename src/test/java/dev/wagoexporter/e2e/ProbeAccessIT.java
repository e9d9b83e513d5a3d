package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.Timeouts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /probe} without {@code probe.allowed_targets} (the default; docs/design.md, "The HTTP
 * front door"): configured gateways only; and a flood of probes never keeps the configured meter
 * off its gateway.
 */
class ProbeAccessIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Harness harness;
  private static MeterSimulator other;

  @BeforeAll
  static void start() throws Exception {
    harness = Harness.start(Framing.TCP, Duration.ofSeconds(1), Duration.ofMillis(500), 125, false);
    other =
        MeterSimulator.start(
            SimulatorOptions.defaults()
                .withPort(0)
                .withFraming(Framing.TCP)
                .withUnitIds(Set.of(3))
                .withClock(Harness.FIXED));
    await()
        .atMost(Timeouts.scaled(Duration.ofSeconds(20)))
        .until(() -> harness.scrape().up() == 1.0);
  }

  @AfterAll
  static void stop() {
    harness.close();
    other.close();
  }

  private static HttpResponse<String> probe(String query) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + harness.exporter.httpPort() + "/probe?" + query))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * 16 scrapes at once of a unit nobody answers, more than the probe threads: those queued for a
   * thread and then for the bus still answer within Prometheus' scrape timeout (200 with wago_up 0,
   * or 503 when the time ran out), never after it.
   */
  @Test
  void concurrentProbesOfADeadUnitAnswerWithinTheScrapeTimeout() throws Exception {
    Duration scrapeTimeout = Timeouts.scaled(Duration.ofSeconds(3));
    String seconds = String.valueOf(scrapeTimeout.toMillis() / 1000.0);
    ConcurrentLinkedQueue<String> late = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Thread t =
          new Thread(
              () -> {
                long start = System.nanoTime();
                try {
                  HttpResponse<String> r =
                      HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "http://127.0.0.1:"
                                          + harness.exporter.httpPort()
                                          + "/probe?target=127.0.0.1:"
                                          + harness.port
                                          + "&unit_id=200&name=dead"))
                              .header("X-Prometheus-Scrape-Timeout-Seconds", seconds)
                              .timeout(Duration.ofSeconds(60))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  statuses.add(r.statusCode());
                } catch (Exception e) {
                  late.add(e.toString());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (took.compareTo(scrapeTimeout) > 0) {
                  late.add("answered after " + took.toMillis() + " ms");
                }
              },
              "dead-unit-probe-" + i);
      t.start();
      clients.add(t);
    }
    for (Thread t : clients) {
      t.join();
    }
    assertThat(late).as("probes answered after the %s s scrape timeout", seconds).isEmpty();
    assertThat(statuses).hasSize(16).allMatch(s -> s == 200 || s == 503);
  }

  @Test
  void aGatewayThatIsNotConfiguredIsRefused() throws Exception {
    // a real Modbus server that answers: only the config decides
    HttpResponse<String> response = probe("target=127.0.0.1:" + other.port() + "&unit_id=3");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body())
        .contains("is not a configured gateway", "allowed_targets", "docs/multi-site.md");
    assertThat(other.requestCount()).isZero();
  }

  @Test
  void theConfiguredGatewayIsProbed() throws Exception {
    HttpResponse<String> response =
        probe("target=127.0.0.1:" + harness.port + "&unit_id=2&name=probed");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("wago_up{meter=\"probed\"} 1");
  }

  /**
   * 8 clients probing unit ids that nobody answers on the configured gateway: each probe waits for
   * replies that never come. The configured meter keeps its values and wago_up 1 in every scrape
   * (the old exporter lost its values for 10 s), and the probes' failures are counted.
   */
  @Test
  void aProbeFloodDoesNotStarveTheConfiguredMeter() throws Exception {
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger timedOutProbes = new AtomicInteger();
    AtomicInteger refusedProbes = new AtomicInteger();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int unit = 100 + i;
      Thread t =
          new Thread(
              () -> {
                while (flooding.get()) {
                  try {
                    HttpResponse<String> r =
                        probe(
                            "target=127.0.0.1:"
                                + harness.port
                                + "&unit_id="
                                + unit
                                + "&name=u"
                                + unit);
                    if (r.statusCode() == 503) {
                      refusedProbes.incrementAndGet();
                    } else if (r.statusCode() == 200
                        && r.body().contains("wago_up{meter=\"u" + unit + "\"} 0")
                        && r.body().contains("reason=\"timeout\"")) {
                      timedOutProbes.incrementAndGet();
                    } else {
                      unexpected.add(r.statusCode() + " " + r.body());
                    }
                  } catch (Exception e) {
                    unexpected.add(e.toString());
                  }
                }
              },
              "probe-flood-" + i);
      t.start();
      clients.add(t);
    }
    try {
      long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      int scrapes = 0;
      while (System.nanoTime() < end) {
        Scrape scrape = harness.scrape();
        assertThat(scrape.up())
            .as("wago_up of the configured meter during the flood")
            .isEqualTo(1.0);
        assertThat(scrape.hasValues())
            .as("values of the configured meter during the flood")
            .isTrue();
        scrapes++;
        Thread.sleep(200);
      }
      assertThat(scrapes).isGreaterThan(5);
    } finally {
      flooding.set(false);
      for (Thread t : clients) {
        t.join(60_000);
      }
    }
    assertThat(unexpected).isEmpty();
    assertThat(timedOutProbes.get())
        .as("probes answered with wago_up 0 and a timeout")
        .isPositive();
  }
}
