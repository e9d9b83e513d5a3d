package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.metrics.MeterCollector;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.time.TimeSource;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A scrape that lands while a poll ends must see that poll whole or not at all: values together
 * with {@code wago_up 1} and the poll's duration, or no values with {@code wago_up 0}. Before the
 * state was one record, a poll wrote five fields one after another (and bumped the version the
 * collector caches on before them), so scrapes saw, and cached, values with {@code wago_up 0}.
 */
class MeterStateConsistencyTest {
  private static final Set<String> HEALTH_FAMILIES =
      Set.of(
          "wago_up",
          "wago_last_success_timestamp_seconds",
          "wago_poll_duration_seconds",
          "wago_modbus_requests",
          "wago_modbus_errors",
          "wago_read_plan_left_out_registers",
          "wago_read_plan_extra_requests",
          "wago_meter",
          "wago_exporter_build");
  private static final Duration SUCCESS_DURATION = Duration.ofMillis(1);
  private static final Duration FAILURE_DURATION = Duration.ofMillis(2);

  /** What one scrape said about the meter. */
  private record Picture(double up, double pollSeconds, int values) {
    boolean consistent() {
      return up == 1
          ? pollSeconds == SUCCESS_DURATION.toNanos() / 1e9 && values > 0
          : pollSeconds == FAILURE_DURATION.toNanos() / 1e9 && values == 0;
    }
  }

  @Test
  void scrapesDuringPollsSeeOnePollWhole() throws Exception {
    Profile profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    MeterState state =
        new MeterState(
            "main", profile, "127.0.0.1:502", 2, Duration.ofSeconds(30), Duration.ofSeconds(2));
    MeterCollector collector =
        new MeterCollector(List.of(state), false, "test", TimeSource.system());
    double[] values = new double[profile.pointCount()];
    Arrays.fill(values, 1.0);
    state.failed(new PollError(FaultReason.CONNECTION, -1, "down"), FAILURE_DURATION);

    AtomicBoolean stop = new AtomicBoolean();
    Thread poller =
        new Thread(
            () -> {
              while (!stop.get()) {
                state.succeeded(
                    new MeterSnapshot(Instant.now(), System.nanoTime(), values), SUCCESS_DURATION);
                state.failed(new PollError(FaultReason.CONNECTION, -1, "down"), FAILURE_DURATION);
              }
            },
            "flapping-poller");
    poller.start();
    List<Picture> mixed = new ArrayList<>();
    int scrapes = 0;
    try {
      // a fixed number of scrapes, not a time: on a busy machine the poller gets fewer turns
      // between scrapes, but every turn it gets lands in the middle of one
      for (; scrapes < 3000 && mixed.size() < 5; scrapes++) {
        Picture picture = picture(collector.collect());
        if (!picture.consistent()) {
          mixed.add(picture);
        }
      }
    } finally {
      stop.set(true);
      poller.join();
    }
    assertThat(mixed).as("mixed pictures in %d scrapes", scrapes).isEmpty();

    // the poller's last write was a failure: the next scrape says so, not a cached earlier mix
    assertThat(picture(collector.collect())).isEqualTo(new Picture(0, 0.002, 0));
  }

  @Test
  void aStatusTakenBeforeAChangeKeepsSayingWhatItSaid() throws Exception {
    Profile profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    MeterState state =
        new MeterState(
            "main", profile, "127.0.0.1:502", 2, Duration.ofSeconds(30), Duration.ofSeconds(2));
    MeterStatus before = state.status();
    state.countRequest();
    state.countError(FaultReason.TIMEOUT);
    state.failed(new PollError(FaultReason.TIMEOUT, -1, "timeout after 2s"), FAILURE_DURATION);
    MeterStatus after = state.status();

    assertThat(before.requests()).isZero();
    assertThat(before.errors()).containsEntry(FaultReason.TIMEOUT, 0L);
    assertThat(before.lastError()).isEqualTo("not polled yet");
    assertThat(after.requests()).isEqualTo(1);
    assertThat(after.errors()).containsEntry(FaultReason.TIMEOUT, 1L);
    assertThat(after.lastError()).isEqualTo("timeout after 2s");
    assertThat(after.version()).isEqualTo(before.version() + 3);
    assertThat(state.changes()).isEqualTo(after.version());
  }

  private static Picture picture(MetricSnapshots snapshots) {
    double up = Double.NaN;
    double pollSeconds = Double.NaN;
    int values = 0;
    for (MetricSnapshot family : snapshots) {
      String name = family.getMetadata().getName();
      if (name.equals("wago_up")) {
        up = ((GaugeSnapshot) family).getDataPoints().get(0).getValue();
      } else if (name.equals("wago_poll_duration_seconds")) {
        pollSeconds = ((GaugeSnapshot) family).getDataPoints().get(0).getValue();
      } else if (!HEALTH_FAMILIES.contains(name)) {
        List<? extends DataPointSnapshot> points = family.getDataPoints();
        values += points.size();
      }
    }
    return new Picture(up, pollSeconds, values);
  }
}
