package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "0ms,   PT0S",
    "30s,   PT30S",
    "' 2m ', PT2M",
    "1h,    PT1H",
    "90s,   PT1M30S",
  })
  void parsesOneNumberWithAUnit(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "30     | duration '30' has no unit (write e.g. 30s for seconds; units are ms, s, m, h)",
        "1.5s   | duration '1.5s' is not a whole number (use a smaller unit, e.g. 1500ms instead of 1.5s)",
        "-5s    | duration '-5s' is negative (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
        "''     | duration is empty (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
        "2 sec  | invalid duration '2 sec' (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
        "30S    | invalid duration '30S' (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
        "1m30s  | invalid duration '1m30s' (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
        "99999999999999999999s | duration '99999999999999999999s' is too long (write a whole number and a unit: 500ms, 30s, 2m or 1h)",
      })
  void rejectsAnythingElseSayingWhatToWrite(String text, String message) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({
    "PT0.5S, 500ms",
    "PT0S, 0s",
    "PT30S, 30s",
    "PT1M30S, 90s",
    "PT2M, 2m",
    "PT1H, 1h",
    "PT1.5S, 1500ms"
  })
  void formatsInTheLargestExactUnitAndParsesBack(Duration duration, String text) {
    assertThat(Durations.format(duration)).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(duration);
  }

  @Test
  void minIsTheShorterEitherWayRound() {
    Duration shorter = Duration.ofMillis(500);
    Duration longer = Duration.ofSeconds(30);
    assertThat(Durations.min(shorter, longer)).isEqualTo(shorter);
    assertThat(Durations.min(longer, shorter)).isEqualTo(shorter);
    assertThat(Durations.min(longer, longer)).isEqualTo(longer);
  }
}
