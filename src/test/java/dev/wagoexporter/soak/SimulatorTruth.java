package dev.wagoexporter.soak;

import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.sim.SimulatedMeter;
import dev.wagoexporter.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated meter held, and when: every change of its values (a clock step, a pinned
 * register) starts a new epoch whose exported values are computed here from the simulator,
 * independently of the exporter. Each epoch's interval is stretched to cover the change itself
 * (from just before it until just after the next one).
 */
final class SimulatorTruth {
  /**
   * Values of one epoch by series key ({@code name{labels}}), and the real time it was in force.
   */
  record Epoch(long fromNanos, long untilNanos, Map<String, Double> values) {
    Epoch until(long nanos) {
      return new Epoch(fromNanos, nanos, values);
    }
  }

  private final SimulatedMeter meter;
  private final ManualClock clock;
  private final Map<String, Point> series = new HashMap<>();
  private final List<Epoch> epochs = new ArrayList<>();

  /** Pinned registers whose value the exporter must refuse, for as long as they stay pinned. */
  private final java.util.Set<Integer> unexportable = new java.util.HashSet<>();

  private record Point(int address, double scale) {}

  SimulatorTruth(SimulatedMeter meter, ManualClock clock, Profile profile, String meterName) {
    this.meter = meter;
    this.clock = clock;
    for (MetricDefinition m : profile.metrics()) {
      if (m.legacy()) {
        continue;
      }
      String name = m.baseName().equals(m.name()) ? m.name() : m.baseName() + "_total";
      for (RegisterPoint p : m.points()) {
        Map<String, String> labels = new TreeMap<>(p.labels());
        labels.put("meter", meterName);
        series.put(ScrapeParser.key(name, labels), new Point(p.address(), m.scale()));
      }
    }
    epochs.add(new Epoch(System.nanoTime(), Long.MAX_VALUE, valuesNow()));
  }

  /** Moves the meter's time on by {@code step}. */
  synchronized void advance(Duration step) {
    change(() -> clock.set(clock.instant().plus(step)));
  }

  /**
   * Pins a register. {@code exportable} false: the exporter must not export the series of this
   * register while it is pinned (garbage, or a counter that went down), so the epoch has no value
   * for them.
   */
  synchronized void overrideFloat(int address, float value, boolean exportable) {
    change(
        () -> {
          meter.overrideFloat(address, value);
          if (!exportable) {
            unexportable.add(address);
          }
        });
  }

  /**
   * Pins a register for exactly one read request, a value the exporter must refuse: the epoch
   * without its series ends when the simulator has answered that request, not after a guessed time
   * (a test thread descheduled on a busy machine once held a lowered counter for three polls, which
   * the counter guard rightly took for a replaced meter).
   */
  synchronized void overrideFloatForOneRead(int address, float value) {
    change(
        () -> {
          meter.overrideFloatForOneRead(address, value, () -> exportableAgain(address));
          unexportable.add(address);
        });
  }

  private synchronized void exportableAgain(int address) {
    change(() -> unexportable.remove(address));
  }

  synchronized void clearOverrides() {
    change(
        () -> {
          meter.clearOverrides();
          unexportable.clear();
        });
  }

  synchronized float floatAt(int address) {
    return meter.floatAt(address);
  }

  /** The epochs in force at some moment of [fromNanos, untilNanos]. */
  synchronized List<Epoch> during(long fromNanos, long untilNanos) {
    List<Epoch> result = new ArrayList<>();
    for (int i = epochs.size() - 1; i >= 0; i--) {
      Epoch e = epochs.get(i);
      if (e.fromNanos() <= untilNanos && e.untilNanos() >= fromNanos) {
        result.add(e);
      }
      if (e.untilNanos() < fromNanos) {
        break;
      }
    }
    return result;
  }

  boolean isDeviceSeries(String key) {
    return series.containsKey(key);
  }

  synchronized int epochCount() {
    return epochs.size();
  }

  /**
   * Forgets epochs that no scrape can still be checked against, so a 30-minute soak does not grow
   * the test.
   */
  synchronized void forgetBefore(long nanos) {
    epochs.removeIf(e -> e.untilNanos() < nanos);
  }

  private void change(Runnable change) {
    long before = System.nanoTime();
    change.run();
    Map<String, Double> values = valuesNow();
    int last = epochs.size() - 1;
    epochs.set(last, epochs.get(last).until(System.nanoTime()));
    epochs.add(new Epoch(before, Long.MAX_VALUE, values));
  }

  /**
   * Exported value = float32 register x scale, computed the way the profile says, in double as the
   * exporter does.
   */
  private Map<String, Double> valuesNow() {
    Map<String, Double> values = new HashMap<>();
    series.forEach(
        (key, p) -> {
          if (!unexportable.contains(p.address())) {
            values.put(key, (double) meter.floatAt(p.address()) * p.scale());
          }
        });
    return values;
  }

  /** Meter time: the clock this truth moves. */
  Instant now() {
    return clock.instant();
  }
}
