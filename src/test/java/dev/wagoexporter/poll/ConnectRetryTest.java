package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectRetryTest {
  @Test
  void doublesFromOneSecondWhileSoonerThanTheNextRegularPoll() {
    ConnectRetry retry = new ConnectRetry(Duration.ofSeconds(30));

    assertThat(delaysUntilExhausted(retry))
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16));
    assertThat(retry.afterFailure()).as("the regular schedule takes over").isEmpty();
  }

  @Test
  void startsShortAgainAfterASuccess() {
    ConnectRetry retry = new ConnectRetry(Duration.ofSeconds(30));
    delaysUntilExhausted(retry);

    retry.afterSuccess();

    assertThat(retry.afterFailure()).contains(Duration.ofSeconds(1));
  }

  @Test
  void noExtraPollWhenTheIntervalIsNoLongerThanTheFirstDelay() {
    assertThat(new ConnectRetry(Duration.ofSeconds(1)).afterFailure()).isEmpty();
    assertThat(new ConnectRetry(Duration.ofMillis(500)).afterFailure()).isEmpty();
  }

  private static List<Duration> delaysUntilExhausted(ConnectRetry retry) {
    List<Duration> delays = new ArrayList<>();
    for (Optional<Duration> d = retry.afterFailure(); d.isPresent(); d = retry.afterFailure()) {
      delays.add(d.get());
    }
    return delays;
  }
}
