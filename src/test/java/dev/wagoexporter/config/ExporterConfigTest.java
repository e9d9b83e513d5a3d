package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.modbus.Framing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExporterConfigTest {
  private static final GatewayConfig SHED = GatewayConfig.parseHostPort("192.168.2.10:8899");
  private static final GatewayConfig CELLAR = GatewayConfig.parseHostPort("192.168.2.11:502");

  @Test
  void groupsMetersByGatewayConnectionInConfigOrder() {
    MeterConfig house = meter("house", SHED, 1);
    MeterConfig cellar = meter("cellar", CELLAR, 1);
    MeterConfig heatPump = meter("heat_pump", SHED, 2);

    ExporterConfig config =
        new ExporterConfig(ListenAddress.DEFAULT, false, List.of(house, cellar, heatPump));

    assertThat(config.metersByGateway())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(SHED, List.of(house, heatPump)),
            org.assertj.core.api.Assertions.entry(CELLAR, List.of(cellar)));
  }

  @Test
  void keepsItsOwnCopyOfTheMeterList() {
    List<MeterConfig> meters = new ArrayList<>(List.of(meter("house", SHED, 1)));
    ExporterConfig config = new ExporterConfig(ListenAddress.DEFAULT, false, meters);

    meters.add(meter("other", CELLAR, 1));

    assertThat(config.meters()).hasSize(1);
  }

  @Test
  void pointsAtTheLaterMeterOfAConflictingPair() {
    assertKey(List.of(), "meters");
    assertKey(List.of(meter("house", SHED, 1), meter("house", CELLAR, 1)), "meters[1].name");
    assertKey(
        List.of(meter("house", SHED, 1), meter("pump", CELLAR, 1), meter("other", SHED, 1)),
        "meters[2].unit_id");
    assertKey(
        List.of(meter("house", SHED, 1), meter("pump", SHED.withFraming(Framing.AUTO), 2)),
        "meters[1].gateway.framing");
    assertKey(
        List.of(
            meter("house", SHED, 1),
            meter(
                "pump",
                new GatewayConfig("192.168.2.10", 8899, Framing.TCP, Duration.ofMillis(5)),
                2)),
        "meters[1].gateway.request_pause");
  }

  @Test
  void sameUnitIdOnDifferentGatewaysIsFine() {
    ExporterConfig config =
        new ExporterConfig(
            ListenAddress.DEFAULT,
            true,
            List.of(meter("house", SHED, 1), meter("cellar", CELLAR, 1)));

    assertThat(config.meters()).hasSize(2);
  }

  private static MeterConfig meter(String name, GatewayConfig gateway, int unitId) {
    return new MeterConfig(
        name,
        MeterConfig.DEFAULT_PROFILE,
        gateway,
        unitId,
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        125);
  }

  private static void assertKey(List<MeterConfig> meters, String key) {
    assertThatThrownBy(() -> new ExporterConfig(ListenAddress.DEFAULT, false, meters))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo(key));
  }
}
