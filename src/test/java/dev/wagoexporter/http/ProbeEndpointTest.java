package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe's time budget follows Prometheus' scrape timeout, as blackbox_exporter's does. */
class ProbeEndpointTest {
  @Test
  void budgetIsTheScrapeTimeoutLessAnOffset() {
    assertThat(ProbeEndpoint.budget("10")).isEqualTo(Duration.ofMillis(9500));
    assertThat(ProbeEndpoint.budget("2.5")).isEqualTo(Duration.ofMillis(2000));
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
}
