package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.TestTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CounterGuardTest {
  private final TestTime time = TestTime.frozen(Instant.parse("2026-01-01T00:00:00Z"));

  /** One poll every 30 s: true when {@code value} may be exported. */
  private boolean accept(CounterGuard guard, double value) {
    time.advance(Duration.ofSeconds(30));
    return guard.check(value, time.nanoTime()) == CounterGuard.Verdict.ACCEPTED;
  }

  @Test
  void oneLowSampleIsDroppedAndTheCounterGoesOn() {
    CounterGuard guard = new CounterGuard();
    assertThat(accept(guard, 1000)).isTrue();
    assertThat(accept(guard, 1001)).isTrue();
    assertThat(accept(guard, 3.67e-27)).isFalse();
    assertThat(accept(guard, 1002)).isTrue();
  }

  @Test
  void aLowerValueThatPersistsBecomesTheNewBaseline() {
    CounterGuard guard = new CounterGuard();
    accept(guard, 5000);
    assertThat(accept(guard, 10)).isFalse();
    assertThat(accept(guard, 11)).isFalse();
    assertThat(accept(guard, 12)).isTrue();
    assertThat(accept(guard, 13)).isTrue();
    assertThat(accept(guard, 5000)).isTrue();
  }

  @Test
  void lowValuesThatJumpAroundNeverBecomeABaseline() {
    CounterGuard guard = new CounterGuard();
    accept(guard, 5000);
    for (int i = 0; i < 10; i++) {
      assertThat(accept(guard, i % 2 == 0 ? 100 : 50)).isFalse();
    }
  }

  private static final long SECOND = 1_000_000_000L;

  /** 10 kWh per second: the built-in profile's 3.6e7 J/s in the meter's kWh. */
  private static CounterGuard kwhGuard() {
    return new CounterGuard(10);
  }

  @Test
  void aRiseFasterThanTheMeterCanMeasureIsHeldUntilTheNextPollConfirmsIt() {
    CounterGuard guard = kwhGuard();
    assertThat(guard.check(5000, 0)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
    assertThat(guard.check(5000 * 1024.0, 30 * SECOND)).isEqualTo(CounterGuard.Verdict.JUMP);
    assertThat(guard.check(5000 * 1024.0 + 1, 60 * SECOND))
        .isEqualTo(CounterGuard.Verdict.ACCEPTED);
  }

  @Test
  void theRightValueAfterAJumpIsAcceptedNotTakenForADecrease() {
    CounterGuard guard = kwhGuard();
    guard.check(5000, 0);
    assertThat(guard.check(5000 * 1024.0, 30 * SECOND)).isEqualTo(CounterGuard.Verdict.JUMP);
    assertThat(guard.check(5000.5, 60 * SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
  }

  @Test
  void theAllowedRiseGrowsWithTheTimeBetweenPolls() {
    CounterGuard guard = kwhGuard();
    guard.check(0, 0);
    // 10 kWh/s for 30 s plus the 1 s slack: 310 kWh
    assertThat(guard.check(309, 30 * SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
    assertThat(guard.check(309 + 320, 60 * SECOND)).isEqualTo(CounterGuard.Verdict.JUMP);
    // an hour without a successful poll allows 36 MWh more
    assertThat(guard.check(309 + 30_000, 3660 * SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
  }

  @Test
  void twoDifferentJumpsDoNotConfirmEachOther() {
    CounterGuard guard = kwhGuard();
    guard.check(100, 0);
    assertThat(guard.check(100 * 1024.0, 30 * SECOND)).isEqualTo(CounterGuard.Verdict.JUMP);
    assertThat(guard.check(100 * 65536.0, 60 * SECOND)).isEqualTo(CounterGuard.Verdict.JUMP);
    assertThat(guard.check(101, 90 * SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
  }

  @Test
  void minusZeroIsZero() {
    CounterGuard guard = kwhGuard();
    assertThat(guard.check(-0.0, 0)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
    assertThat(guard.check(0.0, SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
    assertThat(guard.check(-0.0, 2 * SECOND)).isEqualTo(CounterGuard.Verdict.ACCEPTED);
  }
}
