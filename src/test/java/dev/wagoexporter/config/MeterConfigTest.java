package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeterConfigTest {
  private static final GatewayConfig GATEWAY = GatewayConfig.parseHostPort("192.168.2.10:8899");

  @ParameterizedTest
  @ValueSource(strings = {"main", "heat_pump", "Garage-2", "a"})
  void acceptsLabelFriendlyNames(String name) {
    assertThat(meter(name, 1, Duration.ofSeconds(30), Duration.ofSeconds(2), 125).name())
        .isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "main meter", "1st", "_main", "mäin", "a/b"})
  void rejectsNamesThatAreNotIdentifiers(String name) {
    assertThatThrownBy(() -> meter(name, 1, Duration.ofSeconds(30), Duration.ofSeconds(2), 125))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("name"));
  }

  @Test
  void acceptsTheEdgesOfEveryRange() {
    assertThat(meter("m", 247, Duration.ofMillis(2), Duration.ofMillis(1), 1).unitId())
        .isEqualTo(247);
    assertThat(
            meter("m", 1, Duration.ofSeconds(30), Duration.ofMillis(29_999), 125)
                .maxRegistersPerRequest())
        .isEqualTo(125);
  }

  @Test
  void rejectsEachSettingOutsideItsRangeNamingIt() {
    assertKey(() -> meter("m", 0, Duration.ofSeconds(30), Duration.ofSeconds(2), 125), "unit_id");
    assertKey(() -> meter("m", 248, Duration.ofSeconds(30), Duration.ofSeconds(2), 125), "unit_id");
    assertKey(() -> meter("m", 1, Duration.ZERO, Duration.ofSeconds(2), 125), "poll_interval");
    assertKey(() -> meter("m", 1, Duration.ofSeconds(30), Duration.ZERO, 125), "timeout");
    assertKey(() -> meter("m", 1, Duration.ofSeconds(2), Duration.ofSeconds(2), 125), "timeout");
    assertKey(
        () -> meter("m", 1, Duration.ofSeconds(30), Duration.ofSeconds(2), 0),
        "max_registers_per_request");
    assertKey(
        () -> meter("m", 1, Duration.ofSeconds(30), Duration.ofSeconds(2), 126),
        "max_registers_per_request");
  }

  @Test
  void timeoutMessageShowsBothDurations() {
    assertThatThrownBy(() -> meter("m", 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 125))
        .hasMessage(
            "timeout 2s is not shorter than poll_interval 1s "
                + "(make timeout shorter than poll_interval, e.g. timeout: 2s with poll_interval: 30s)");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    MeterConfig meter = MeterConfig.withDefaults(GATEWAY);

    assertThat(meter)
        .isEqualTo(
            new MeterConfig(
                "main",
                "wago-879-30xx",
                GATEWAY,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                125));
  }

  private static MeterConfig meter(
      String name, int unitId, Duration poll, Duration timeout, int maxRegisters) {
    return new MeterConfig(
        name, MeterConfig.DEFAULT_PROFILE, GATEWAY, unitId, poll, timeout, maxRegisters);
  }

  private static void assertKey(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo(key));
  }
}
