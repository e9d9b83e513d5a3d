package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.Fault;
import dev.wagoexporter.testsupport.Timeouts;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exporter against the simulated meter over real loopback sockets, in both framings: values,
 * health, faults.
 */
class ExporterEndToEndIT {
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(20));
  private static final Set<String> HEALTH =
      Set.of(
          "wago_up",
          "wago_last_success_timestamp_seconds",
          "wago_poll_duration_seconds",
          "wago_modbus_requests_total",
          "wago_modbus_errors_total",
          "wago_read_plan_left_out_registers",
          "wago_read_plan_extra_requests",
          "wago_meter_info",
          "wago_exporter_build_info");

  static Map<String, Double> deviceSeries(Scrape scrape) {
    Map<String, Double> result = new TreeMap<>();
    scrape
        .series()
        .forEach(
            (k, v) -> {
              if (!HEALTH.contains(
                  k.substring(0, k.indexOf('{') < 0 ? k.length() : k.indexOf('{')))) {
                result.put(k, v);
              }
            });
    return result;
  }

  private static Harness started(
      Framing framing, Duration interval, int maxRegisters, boolean legacy) throws Exception {
    Harness h = Harness.start(framing, interval, Duration.ofMillis(500), maxRegisters, legacy);
    await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
    return h;
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void exportedValuesEqualTheSimulatorsRegisters(Framing framing) throws Exception {
    try (Harness h = started(framing, Duration.ofSeconds(1), 125, false)) {
      Scrape scrape = h.scrape();
      assertThat(deviceSeries(scrape)).isEqualTo(h.expectedValues(false));
      assertThat(
              scrape.get(
                  "wago_meter_info{firmware=\"2.18\",meter=\"main\",model=\"879-30xx 4PS\",serial=\"22091039\"}"))
          .isEqualTo(1.0);
      assertThat(scrape.get("wago_voltage_volts{meter=\"main\",phase=\"L1\"}"))
          .isBetween(207.0, 253.0);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void legacySeriesComeFromTheSamePoll(Framing framing) throws Exception {
    try (Harness h = started(framing, Duration.ofSeconds(1), 125, true)) {
      Scrape scrape = h.scrape();
      assertThat(deviceSeries(scrape)).isEqualTo(h.expectedValues(true));
      assertThat(scrape.get("wago_power_total_kw{meter=\"main\"}"))
          .isEqualTo((double) h.meter().floatAt(0x5012));
      assertThat(scrape.get("wago_energy_total_kwh{meter=\"main\"}"))
          .isEqualTo((double) h.meter().floatAt(0x6000));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void aFullPollIsTwoReadRequestsAndNothingIsEverWritten(Framing framing) throws Exception {
    try (Harness h = started(framing, Duration.ofHours(1), 125, false)) {
      long before = h.simulator.requestCount();
      h.poller().poll();
      assertThat(h.simulator.requestCount() - before).isEqualTo(2);
      assertThat(h.simulator.functionCodeCounts().keySet()).containsOnly(3);
      assertThat(h.simulator.writeAttempts()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void gatewayDownAtStartServesUpZeroThenValuesWithinOnePoll(Framing framing) throws Exception {
    Duration interval = Duration.ofSeconds(1);
    try (Harness h = Harness.withoutGateway(framing, interval, Duration.ofMillis(500))) {
      await().atMost(WAIT).until(() -> h.scrape().up() == 0.0);
      assertThat(h.scrape().hasValues()).isFalse();
      assertThat(h.scrape().errors("connection")).isPositive();
      h.restartSimulator();
      long started = System.nanoTime();
      await().atMost(WAIT).until(() -> h.scrape().up() == 1.0 && h.scrape().hasValues());
      // one poll interval, plus the reconnect back-off capped at the interval, plus scheduling
      // slack
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(interval.multipliedBy(3));
      assertThat(deviceSeries(h.scrape())).isEqualTo(h.expectedValues(false));
    }
  }

  /**
   * The demo's simulator starts a moment after the exporter: its first values must not wait a whole
   * interval.
   */
  @Test
  void gatewayThatComesUpJustAfterTheExporterIsReadLongBeforeTheNextRegularPoll() throws Exception {
    Duration interval = Duration.ofMinutes(10);
    try (Harness h = Harness.withoutGateway(Framing.TCP, interval, Duration.ofMillis(500))) {
      await().atMost(WAIT).until(() -> h.scrape().errors("connection") > 0);
      h.restartSimulator();
      // the extra polls after a failed connect come when the reconnect back-off ends (0.5 s, then
      // 1 s, 2 s... later); the regular one only after 10 minutes
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> h.scrape().up() == 1.0 && h.scrape().hasValues());
      assertThat(deviceSeries(h.scrape())).isEqualTo(h.expectedValues(false));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void gatewayRestartedMidRunIsRecoveredWithoutRestartingTheExporter(Framing framing)
      throws Exception {
    try (Harness h = started(framing, Duration.ofMillis(500), 125, false)) {
      h.stopSimulator();
      await().atMost(WAIT).until(() -> h.scrape().up() == 0.0);
      assertThat(h.scrape().hasValues()).as("values vanish, they are never repeated").isFalse();
      h.restartSimulator();
      await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
      assertThat(deviceSeries(h.scrape())).isEqualTo(h.expectedValues(false));
    }
  }

  /**
   * With 8 registers a request, every block has the same size, so only the guard (drain, guard
   * time, transaction id) keeps a late reply from being taken as the next block's answer.
   */
  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void aReplyDelayedPastTheTimeoutIsNeverExportedAsAnotherRegistersValue(Framing framing)
      throws Exception {
    try (Harness h = started(framing, Duration.ofSeconds(1), 8, false)) {
      Map<String, Double> expected = h.expectedValues(false);
      h.faults.setDelay(Duration.ofMillis(700));
      h.faults.inject(Fault.DELAY, 3);
      long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < end) {
        Map<String, Double> values = deviceSeries(h.scrape());
        values.forEach(
            (series, value) -> assertThat(value).as(series).isEqualTo(expected.get(series)));
        Thread.sleep(50);
      }
      Scrape scrape = h.scrape();
      assertThat(scrape.errors("timeout")).isPositive();
      await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
      assertThat(deviceSeries(h.scrape())).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void garbageBadCrcExceptionsAndDroppedConnectionsAreCountedAndSurvived(Framing framing)
      throws Exception {
    try (Harness h = started(framing, Duration.ofMillis(300), 125, false)) {
      boolean rtu = framing == Framing.RTU_OVER_TCP;
      h.faults.setExceptionCode(4);
      // each fault and the reasons it may be counted under: garbage breaks the frame (a wrong unit
      // id or CRC in
      // RTU, a broken MBAP header in Modbus TCP); a reply with a foreign transaction id is skipped
      // and times out
      Map<Fault, Set<String>> reasons =
          Map.of(
              Fault.GARBAGE, rtu ? Set.of("crc", "mismatch") : Set.of("mismatch"),
              Fault.BAD_CRC, rtu ? Set.of("crc") : Set.of("timeout"),
              Fault.EXCEPTION, Set.of("exception"),
              Fault.DROP_CONNECTION, Set.of("connection"),
              Fault.SILENCE, Set.of("timeout"));
      for (Fault fault :
          new Fault[] {
            Fault.GARBAGE, Fault.BAD_CRC, Fault.EXCEPTION, Fault.DROP_CONNECTION, Fault.SILENCE
          }) {
        double before = reasons.get(fault).stream().mapToDouble(r -> h.scrape().errors(r)).sum();
        h.faults.inject(fault, 1);
        await(fault.name())
            .atMost(WAIT)
            .until(
                () ->
                    reasons.get(fault).stream().mapToDouble(r -> h.scrape().errors(r)).sum()
                        > before);
        await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
      }
      Scrape scrape = h.scrape();
      assertThat(scrape.errors("exception")).isEqualTo(1);
      assertThat(deviceSeries(scrape)).isEqualTo(h.expectedValues(false));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void aHalfOpenGatewayIsDetectedAndReconnected(Framing framing) throws Exception {
    try (Harness h = started(framing, Duration.ofMillis(300), 125, false)) {
      h.faults.inject(Fault.HALF_OPEN, 1);
      await().atMost(WAIT).until(() -> h.scrape().up() == 0.0);
      await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
      assertThat(h.scrape().errors("timeout")).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void nanDenormalAndFallingCountersAreDroppedAndCounted(Framing framing) throws Exception {
    try (Harness h = started(framing, Duration.ofMillis(300), 125, false)) {
      float import0 = h.meter().floatAt(0x600C);
      h.meter().overrideFloat(0x5002, Float.NaN);
      h.meter().overrideFloat(0x5004, 3.67e-27f);
      h.meter().overrideFloat(0x5008, 0.0f); // 0 Hz: outside the plausible range
      h.meter().overrideFloat(0x600C, import0 - 10);
      await().atMost(WAIT).until(() -> h.scrape().errors("counter_decrease") >= 1);
      Scrape scrape = h.scrape();
      assertThat(scrape.get("wago_voltage_volts{meter=\"main\",phase=\"L1\"}")).isNull();
      assertThat(scrape.get("wago_voltage_volts{meter=\"main\",phase=\"L2\"}")).isNull();
      assertThat(scrape.get("wago_frequency_hertz{meter=\"main\"}")).isNull();
      assertThat(scrape.get("wago_system_active_energy_import_joules_total{meter=\"main\"}"))
          .isNull();
      assertThat(scrape.get("wago_voltage_volts{meter=\"main\",phase=\"L3\"}"))
          .isEqualTo((double) h.meter().floatAt(0x5006));
      assertThat(scrape.errors("implausible")).isGreaterThanOrEqualTo(3);
      assertThat(scrape.up()).isEqualTo(1.0);
      h.meter().clearOverrides();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  h.scrape().get("wago_system_active_energy_import_joules_total{meter=\"main\"}")
                      != null);
      assertThat(h.scrape().get("wago_system_active_energy_import_joules_total{meter=\"main\"}"))
          .isEqualTo(import0 * 3.6e6);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void aMeterSetToIntegerFormatIsReportedAsMisconfigured(Framing framing) throws Exception {
    try (Harness h =
        Harness.start(framing, Duration.ofMillis(300), Duration.ofMillis(500), 125, false)) {
      h.meter().overrideRegister(0x4026, 2);
      // identity is read at connect: the simulator drops the connection, the exporter reconnects
      // (closing the connection itself would end it for good)
      h.faults.inject(Fault.DROP_CONNECTION, 1);
      await().atMost(WAIT).until(() -> h.scrape().errors("misconfigured") >= 3);
      // every poll fails, not only the one after the identity read
      assertThat(h.scrape().up()).isEqualTo(0.0);
      assertThat(h.scrape().hasValues()).isFalse();
      assertThat(h.scrape().series())
          .containsKey(
              "wago_meter_info{firmware=\"2.18\",meter=\"main\",model=\"879-30xx 4PS\",serial=\"22091039\"}");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void autoFramingFindsTheGatewaysMode(Framing framing) throws Exception {
    try (Harness h = Harness.startAuto(framing)) {
      await().atMost(WAIT).until(() -> h.scrape().up() == 1.0);
      assertThat(h.exporter.gateways().get(0).connection().framing()).isEqualTo(framing);
      assertThat(deviceSeries(h.scrape())).isEqualTo(h.expectedValues(false));
    }
  }
}
