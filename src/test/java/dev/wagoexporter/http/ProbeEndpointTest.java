package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ProbeConfig;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.poll.MeterProbes;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The probe's time budget follows Prometheus' scrape timeout, as blackbox_exporter's does. */
class ProbeEndpointTest {
  @Test
  void budgetIsTheScrapeTimeoutLessAnOffset() {
    assertThat(ProbeEndpoint.budget("10")).isEqualTo(Duration.ofMillis(9500));
    assertThat(ProbeEndpoint.budget("2.5")).isEqualTo(Duration.ofSeconds(2));
    // shorter than the offset: used whole
    assertThat(ProbeEndpoint.budget("0.3")).isEqualTo(Duration.ofMillis(300));
    // without the header: Prometheus' default scrape timeout
    assertThat(ProbeEndpoint.budget(null)).isEqualTo(Duration.ofMillis(9500));
  }

  @Test
  void oneReplyWaitsAtMostTwoSecondsOrTheBudget() {
    assertThat(ProbeEndpoint.replyTimeout(Duration.ofMillis(9500)))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(ProbeEndpoint.replyTimeout(Duration.ofMillis(700)))
        .isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void aHeaderThatIsNotSecondsIsABadRequest() {
    for (String bad : new String[] {"ten", "-1", "0", "NaN", "1e9"}) {
      assertThatThrownBy(() -> ProbeEndpoint.budget(bad))
          .as(bad)
          .isInstanceOf(BadRequest.class)
          .hasMessageContaining("X-Prometheus-Scrape-Timeout-Seconds");
    }
  }

  /**
   * A bug in the probe's code (here a stand-in: a time source whose clock throws {@link
   * IllegalArgumentException}, which the endpoint once caught and answered as "bad probe") is not
   * the client's mistake: it leaves the endpoint as itself, and the server answers 500.
   */
  @Test
  void aBugBelowTheEndpointIsNotABadRequest() {
    GatewayAddress gateway = new GatewayAddress("127.0.0.1", FreePort.onLoopback());
    TimeSource broken =
        new TimeSource() {
          @Override
          public long nanoTime() {
            throw new IllegalArgumentException("a bug, not the client's mistake");
          }

          @Override
          public Instant now() {
            return Instant.now();
          }
        };
    try (MeterProbes probes = new MeterProbes(Map.of(), broken);
        ProbeEndpoint endpoint =
            new ProbeEndpoint(
                probes,
                false,
                TimeSource.system(),
                Set.of(gateway),
                ProbeConfig.CONFIGURED_ONLY,
                new ListenAddress("127.0.0.1", FreePort.onLoopback()))) {
      assertThatThrownBy(
              () -> endpoint.answer(ProbeEndpoint.query(Map.of("target", gateway.toString()))))
          .isNotInstanceOf(BadRequest.class)
          .hasMessage("a bug, not the client's mistake");
    }
  }

  @Test
  void aBadUnitIdReadsAsFromTheFlagsAndTheConfigFile() throws Exception {
    try (MeterProbes probes = new MeterProbes(Map.of(), TimeSource.system());
        ProbeEndpoint endpoint =
            new ProbeEndpoint(
                probes,
                false,
                TimeSource.system(),
                Set.of(),
                ProbeConfig.CONFIGURED_ONLY,
                new ListenAddress("127.0.0.1", FreePort.onLoopback()))) {
      assertThatThrownBy(
              () ->
                  endpoint.parse(
                      ProbeEndpoint.query(Map.of("target", "127.0.0.1:502", "unit_id", "248")),
                      Duration.ofSeconds(1)))
          .isInstanceOf(BadRequest.class)
          .hasMessage("unit_id: unit id 248 is outside 1..247 (" + UnitIds.FIX + ")");
    }
  }
}
