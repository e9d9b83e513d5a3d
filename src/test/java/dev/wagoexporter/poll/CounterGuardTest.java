package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterGuardTest {
  @Test
  void oneLowSampleIsDroppedAndTheCounterGoesOn() {
    CounterGuard guard = new CounterGuard();
    assertThat(guard.accept(1000)).isTrue();
    assertThat(guard.accept(1001)).isTrue();
    assertThat(guard.accept(3.67e-27)).isFalse();
    assertThat(guard.accept(1002)).isTrue();
  }

  @Test
  void aLowerValueThatPersistsBecomesTheNewBaseline() {
    CounterGuard guard = new CounterGuard();
    guard.accept(5000);
    assertThat(guard.accept(10)).isFalse();
    assertThat(guard.accept(11)).isFalse();
    assertThat(guard.accept(12)).isTrue();
    assertThat(guard.accept(13)).isTrue();
    assertThat(guard.accept(5000)).isTrue();
  }

  @Test
  void lowValuesThatJumpAroundNeverBecomeABaseline() {
    CounterGuard guard = new CounterGuard();
    guard.accept(5000);
    for (int i = 0; i < 10; i++) {
      assertThat(guard.accept(i % 2 == 0 ? 100 : 50)).isFalse();
    }
  }
}
