package dev.wagoexporter.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The chart's memory stays bounded whatever the poll interval. */
class PowerHistoryTest {
  @Test
  void fastPollsAreAveragedIntoSlotsAndTheMemoryIsCapped() {
    PowerHistory history = new PowerHistory(Duration.ofSeconds(1));
    assertThat(history.slot()).isEqualTo(Duration.ofSeconds(30));
    Instant start = Instant.parse("2026-06-15T00:00:00Z");
    for (int s = 0; s < 12 * 3600; s++) {
      history.add(start.plusSeconds(s), s % 2 == 0 ? 100 : 300);
    }
    var points = history.points();
    assertThat(points).hasSizeLessThanOrEqualTo(PowerHistory.MAX_POINTS);
    assertThat(points.get(points.size() - 1).time() - points.get(0).time())
        .isLessThanOrEqualTo(PowerHistory.WINDOW.toSeconds());
    assertThat(points.get(0).watts()).isEqualTo(200);
  }

  @Test
  void slowPollsGiveOnePointEachAndARefusedValueIsLeftOut() {
    PowerHistory history = new PowerHistory(Duration.ofSeconds(60));
    Instant start = Instant.parse("2026-06-15T00:00:00Z");
    history.add(start, 500);
    history.add(start.plusSeconds(60), Double.NaN);
    history.add(start.plusSeconds(120), -700);
    assertThat(history.points())
        .containsExactly(
            new PowerHistory.Point(start.getEpochSecond(), 500),
            new PowerHistory.Point(start.getEpochSecond() + 120, -700));
  }
}
