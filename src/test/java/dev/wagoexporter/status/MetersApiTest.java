package dev.wagoexporter.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.poll.MeterSnapshot;
import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.poll.MeterStates;
import dev.wagoexporter.poll.PollError;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.proxy.ProxyView;
import dev.wagoexporter.testsupport.TestTime;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON behind the status page: fields, freshness as on /metrics, errors with their hint. */
class MetersApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant TAKEN = Instant.parse("2026-12-01T20:00:00.123456789Z");
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Profile profile = load();

  /** Stands at {@link #TAKEN} until a test moves it. */
  private final TestTime time = TestTime.frozen(TAKEN);

  private final MeterState meter =
      new MeterState("main", profile, "192.168.2.10:8899", 2, INTERVAL, TIMEOUT);

  private static Profile load() {
    try {
      return ProfileLoader.load(ProfileLoader.BUILT_IN);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every point gets its own value (100 + index), so a value under the wrong name shows. */
  private MeterSnapshot snapshot() {
    double[] values = new double[profile.pointCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = 100 + i;
    }
    return new MeterSnapshot(TAKEN, time.nanoTime(), values);
  }

  private RegisterPoint point(String metric, String phase) {
    MetricDefinition m =
        profile.metrics().stream().filter(d -> d.name().equals(metric)).findFirst().orElseThrow();
    return m.points().stream()
        .filter(p -> phase == null ? p.labels().isEmpty() : phase.equals(p.labels().get("phase")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theProxiesAreTopLevelInTheShapeThePageReads() throws IOException {
    ProxyView proxy =
        new ProxyView(
            "127.0.0.1:8899",
            ":5020",
            List.of(5),
            List.of(5),
            List.of(new ProxyView.ClientView("/172.18.0.5:41234", "2026-06-15T18:30:00Z", 12)),
            120,
            30,
            2);
    JsonNode doc =
        JSON.readTree(MetersApi.json(List.of(meter), null, List.of(proxy), time)).path("proxies");
    assertThat(doc).hasSize(1);
    JsonNode p = doc.get(0);
    assertThat(p.path("line").asText()).isEqualTo("127.0.0.1:8899");
    assertThat(p.path("listen_address").asText()).isEqualTo(":5020");
    assertThat(p.path("writable_units").get(0).asInt()).isEqualTo(5);
    assertThat(p.path("snapshot_answers").asLong()).isEqualTo(30);
    assertThat(p.path("clients").get(0).path("connected_at").asText())
        .isEqualTo("2026-06-15T18:30:00Z");
    assertThat(p.path("clients").get(0).path("requests").asLong()).isEqualTo(12);
    assertThat(JSON.readTree(MetersApi.json(List.of(meter), time)).path("proxies").isNull())
        .isTrue();
  }

  /** The meter as served once the clocks have moved on to {@code now} (on both clocks). */
  private JsonNode meterAt(Instant now) throws IOException {
    time.advance(Duration.between(time.now(), now));
    JsonNode doc = JSON.readTree(MetersApi.json(List.of(meter), time));
    assertThat(doc.path("generated").asText()).isEqualTo(now.toString());
    assertThat(doc.path("meters")).hasSize(1);
    return doc.path("meters").get(0);
  }

  private static JsonNode sample(JsonNode meter, String metric, String phase) {
    for (JsonNode s : meter.path("values").path(metric).path("samples")) {
      if (phase == null
          ? s.path("labels").isEmpty()
          : phase.equals(s.path("labels").path("phase").asText())) {
        return s;
      }
    }
    return null;
  }

  @Test
  void aFreshPollGivesHealthIdentityAndEveryValueWithItsUnit() throws IOException {
    MeterStates.identity(meter, new MeterIdentity("22091039", "879-30xx 4PS", "2.18", 1));
    MeterStates.succeeded(meter, snapshot());

    JsonNode m = meterAt(TAKEN.plusMillis(12_500));

    assertThat(m.path("name").asText()).isEqualTo("main");
    assertThat(m.path("gateway").asText()).isEqualTo("192.168.2.10:8899");
    assertThat(m.path("unit_id").asInt()).isEqualTo(2);
    assertThat(m.path("profile").asText()).isEqualTo("wago-879-30xx");
    assertThat(m.path("up").asBoolean()).isTrue();
    assertThat(m.path("poll_interval_seconds").asDouble()).isEqualTo(10.0);
    assertThat(m.path("last_success").asText()).isEqualTo("2026-12-01T20:00:00.123456789Z");
    assertThat(m.path("last_success_age_seconds").asDouble()).isEqualTo(12.5);
    assertThat(m.path("identity").path("serial").asText()).isEqualTo("22091039");
    assertThat(m.path("identity").path("model").asText()).isEqualTo("879-30xx 4PS");
    assertThat(m.path("identity").path("firmware").asText()).isEqualTo("2.18");
    assertThat(m.path("identity").path("data_format").asInt()).isEqualTo(1);
    assertThat(m.path("last_error").isNull()).isTrue();

    JsonNode voltages = m.path("values").path("wago_voltage_volts");
    assertThat(voltages.path("unit").asText()).isEqualTo("V");
    assertThat(voltages.path("kind").asText()).isEqualTo("gauge");
    assertThat(voltages.path("samples")).hasSize(3);
    for (String phase : List.of("L1", "L2", "L3")) {
      assertThat(sample(m, "wago_voltage_volts", phase).path("value").asDouble())
          .isEqualTo(100.0 + point("wago_voltage_volts", phase).index());
      assertThat(sample(m, "wago_active_power_watts", phase).path("value").asDouble())
          .isEqualTo(100.0 + point("wago_active_power_watts", phase).index());
    }
    assertThat(sample(m, "wago_system_active_power_watts", null).path("value").asDouble())
        .isEqualTo(100.0 + point("wago_system_active_power_watts", null).index());
    JsonNode imported = m.path("values").path("wago_system_active_energy_import_joules_total");
    assertThat(imported.path("unit").asText()).isEqualTo("J");
    assertThat(imported.path("kind").asText()).isEqualTo("counter");
    // legacy series repeat the same registers in old units: not part of the API
    profile.metrics().stream()
        .filter(MetricDefinition::legacy)
        .forEach(legacy -> assertThat(m.path("values").has(legacy.name())).isFalse());
    assertThat(m.path("values").size()).isEqualTo(profile.served(false).size());
    assertThat(m.path("errors").path("timeout").asLong()).isZero();
    assertThat(m.path("errors").size()).isEqualTo(FaultReason.values().length);
  }

  @Test
  void aRefusedValueIsAbsentNotZero() throws IOException {
    MeterSnapshot s = snapshot();
    s.values()[point("wago_voltage_volts", "L2").index()] = Double.NaN;
    MeterStates.succeeded(meter, s);

    JsonNode m = meterAt(TAKEN.plusSeconds(1));

    assertThat(sample(m, "wago_voltage_volts", "L2")).isNull();
    assertThat(sample(m, "wago_voltage_volts", "L1")).isNotNull();
    assertThat(m.path("values").path("wago_voltage_volts").path("samples")).hasSize(2);
  }

  @Test
  void staleValuesAreAbsentAsOnMetrics() throws IOException {
    MeterStates.succeeded(meter, snapshot());
    Instant lastFresh = TAKEN.plus(meter.maxSnapshotAge());

    assertThat(meterAt(lastFresh).path("values").size()).isPositive();
    JsonNode stale = meterAt(lastFresh.plusMillis(1));
    assertThat(stale.path("values").isObject()).isTrue();
    assertThat(stale.path("values").isEmpty()).isTrue();
    // the time of the last reading stays: it says how old the missing values would be
    assertThat(stale.path("last_success").asText()).isEqualTo(TAKEN.toString());
    assertThat(stale.path("last_success_age_seconds").asDouble()).isEqualTo(22.001);
  }

  /**
   * A Pi without a real-time clock steps its wall clock when NTP comes up: a day either way, the
   * values stay exactly as fresh as the time that really passed, and the shown timestamp stays the
   * one the poll took.
   */
  @Test
  void aWallClockStepNeitherAgesNorUnagesTheValues() throws IOException {
    MeterStates.succeeded(meter, snapshot());
    for (Duration step : List.of(Duration.ofDays(1), Duration.ofDays(-2))) {
      time.stepWall(step);
      JsonNode doc = JSON.readTree(MetersApi.json(List.of(meter), time));
      assertThat(doc.path("generated").asText()).isEqualTo(time.now().toString());
      JsonNode m = doc.path("meters").get(0);
      assertThat(m.path("values").size()).as("after a step of %s", step).isPositive();
      assertThat(m.path("last_success_age_seconds").asDouble()).isEqualTo(0.0);
      assertThat(m.path("last_success").asText()).isEqualTo(TAKEN.toString());
    }
    time.advance(meter.maxSnapshotAge().plusMillis(1));
    JsonNode stale = JSON.readTree(MetersApi.json(List.of(meter), time)).path("meters").get(0);
    assertThat(stale.path("values").isEmpty()).isTrue();
    assertThat(stale.path("last_success_age_seconds").asDouble()).isEqualTo(22.001);
  }

  @Test
  void aFailedPollDropsTheValuesAndGivesTheErrorWithItsHint() throws IOException {
    MeterStates.succeeded(meter, snapshot());
    ModbusReadException timeout =
        new ModbusReadException(FaultReason.TIMEOUT, "no reply within the timeout");
    MeterStates.failed(meter, PollError.of(timeout));

    JsonNode m = meterAt(TAKEN.plusSeconds(1));

    assertThat(m.path("up").asBoolean()).isFalse();
    assertThat(m.path("values").isEmpty()).isTrue();
    assertThat(m.path("errors").path("timeout").asLong()).isEqualTo(1);
    JsonNode error = m.path("last_error");
    assertThat(error.path("reason").asText()).isEqualTo("timeout");
    assertThat(error.path("exception_code").isNull()).isTrue();
    assertThat(error.path("message").asText()).isEqualTo("no reply within the timeout");
    assertThat(error.path("hint").asText()).isEqualTo(timeout.hint());
  }

  @Test
  void aGatewayExceptionCarriesItsCodeAndTheNoMeterHint() throws IOException {
    MeterStates.failed(
        meter,
        PollError.of(
            new ModbusReadException(
                FaultReason.EXCEPTION,
                0x0B,
                "meter answered exception 0B gateway target device failed to respond")));

    JsonNode error = meterAt(TAKEN).path("last_error");

    assertThat(error.path("reason").asText()).isEqualTo("exception");
    assertThat(error.path("exception_code").asText()).isEqualTo("0x0B");
    assertThat(error.path("hint").asText()).contains("no meter behind it at this unit id");
  }

  @Test
  void beforeTheFirstPollNothingIsKnownAndNothingIsToBeFixed() throws IOException {
    JsonNode m = meterAt(TAKEN);

    assertThat(m.path("up").asBoolean()).isFalse();
    assertThat(m.path("last_success").isNull()).isTrue();
    assertThat(m.path("last_success_age_seconds").isNull()).isTrue();
    assertThat(m.path("identity").isNull()).isTrue();
    assertThat(m.path("values").isEmpty()).isTrue();
    assertThat(m.path("last_error").path("reason").asText()).isEqualTo("not_polled_yet");
    assertThat(m.path("last_error").path("hint").asText()).contains("first poll");
  }

  @Test
  void everyMeterIsListedInConfigOrder() throws IOException {
    MeterState second = new MeterState("garage", profile, "10.0.0.7:502", 5, INTERVAL, TIMEOUT);
    JsonNode doc = JSON.readTree(MetersApi.json(List.of(meter, second), time));
    assertThat(doc.path("meters").findValuesAsText("name")).containsExactly("main", "garage");
    assertThat(doc.path("meters").get(1).path("unit_id").asInt()).isEqualTo(5);
  }
}
