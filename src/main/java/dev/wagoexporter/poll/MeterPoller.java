package dev.wagoexporter.poll;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.ReadRequest;
import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.MetricKind;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one meter: identity at connect, then the read plan, then the data-quality checks, then one
 * immutable snapshot. Runs only on its gateway's poll thread, so its own fields need no locking.
 */
public final class MeterPoller {
  private static final Logger LOG = LoggerFactory.getLogger(MeterPoller.class);

  /**
   * Non-zero values smaller than this are bus garbage, not measurements (the old exporter saw
   * 3.67e-27).
   */
  static final double SMALLEST_REAL_VALUE = 1e-12;

  private final MeterState state;
  private final BusConnection connection;
  private final TimeSource time;

  /** Each counter register's guard, made with the slowest limit of the metrics reading it. */
  private final Map<Integer, CounterGuard> counterGuards = new HashMap<>();

  /**
   * The most polls between two tries of the whole plan after the meter refused a range: with a 30 s
   * interval the back-off goes 30 s, 1 min, 2 min ... up to 32 min.
   */
  static final int MAX_POLLS_BETWEEN_RETRIES = 64;

  /** The profile's plan, which a poll goes back to once the meter answers it whole again. */
  private final ReadPlan wholePlan;

  private ReadPlan plan;
  private int pollsBetweenRetries = 1;
  private int pollsUntilRetry;
  private Logged logged = Logged.NOTHING_YET;
  private long identityConnection;

  /** The blocks this poll has read so far, and when it read the first. */
  private final List<PolledRegisters.Words> readNow = new ArrayList<>();

  private long readNowSince;

  /** The last successful poll's raw words; none after a failed poll (docs/design.md). */
  private volatile @Nullable PolledRegisters lastRegisters;

  public MeterPoller(
      MeterState state, BusConnection connection, int maxRegistersPerRequest, TimeSource time) {
    this.state = state;
    this.connection = connection;
    this.time = time;
    Profile profile = state.profile();
    this.wholePlan =
        ReadPlanner.plan(profile.points(), maxRegistersPerRequest, ReadPlanner.DEFAULT_MAX_GAP);
    this.plan = wholePlan;
    Map<Integer, Double> maxRates = new HashMap<>();
    for (MetricDefinition m : profile.metrics()) {
      if (m.kind() == MetricKind.COUNTER) {
        m.points().forEach(p -> maxRates.merge(p.address(), m.maxRegisterRate(), Math::min));
      }
    }
    maxRates.forEach((address, rate) -> counterGuards.put(address, new CounterGuard(rate)));
  }

  public MeterState state() {
    return state;
  }

  /** The requests one poll sends now (after any splits the meter forced). */
  public ReadPlan plan() {
    return plan;
  }

  /**
   * The raw words of the last poll while they are fresh: the poll succeeded and its first read is
   * younger than {@link MeterState#maxSnapshotAge()}, the rule {@code /metrics} uses for values.
   */
  public Optional<PolledRegisters> freshRegisters() {
    PolledRegisters last = lastRegisters;
    if (last == null
        || !TimeSource.youngerThan(last.readNanos(), state.maxSnapshotAge(), time.nanoTime())) {
      return Optional.empty();
    }
    return Optional.of(last);
  }

  public void poll() {
    long started = time.nanoTime();
    try {
      readIdentityIfNewConnection();
      boolean retry = retryWholePlanIfDue();
      double[] raw = readValues();
      afterRead(retry);
      if (plan.points().isEmpty()) {
        state.countError(FaultReason.NOTHING_READ);
        fail(
            PollError.of(
                FaultReason.NOTHING_READ,
                "meter "
                    + state.name()
                    + " refused every register of its profile (exception 02/03); the whole"
                    + " profile is read again in "
                    + pollsUntilRetry
                    + " poll(s)"),
            started);
        return;
      }
      MeterSnapshot snapshot = new MeterSnapshot(time.now(), started, checkedValues(raw, started));
      lastRegisters = new PolledRegisters(state.profile().functionCode(), readNow, readNowSince);
      state.succeeded(snapshot, Duration.ofNanos(time.nanoTime() - started));
      logStateChange(true, null);
    } catch (ModbusReadException e) {
      state.countError(e.failure());
      fail(PollError.of(e), started);
    } catch (MisconfiguredMeterException e) {
      state.countError(FaultReason.MISCONFIGURED);
      fail(PollError.of(FaultReason.MISCONFIGURED, e.getMessage()), started);
    }
  }

  /**
   * A refusal (exception 02/03) may be a glitch of the line, not a register the meter lacks: after
   * 1, 2, 4 ... polls (at most {@link #MAX_POLLS_BETWEEN_RETRIES}) the whole plan is tried again.
   *
   * @return true when this poll tries the whole plan again
   */
  private boolean retryWholePlanIfDue() {
    if (plan.equals(wholePlan) || --pollsUntilRetry > 0) {
      return false;
    }
    LOG.info("meter {}: reading every register of the profile again", state.name());
    plan = wholePlan;
    return true;
  }

  /** Sets the back-off after a poll's reads, and shows how far the plan is from the whole one. */
  private void afterRead(boolean retried) {
    if (plan.equals(wholePlan)) {
      if (retried) {
        LOG.info("meter {}: every register of the profile is read again", state.name());
      }
      pollsBetweenRetries = 1;
      pollsUntilRetry = 0;
    } else if (pollsUntilRetry <= 0) {
      // the first refusal, or a retry refused again
      if (retried) {
        pollsBetweenRetries = Math.min(2 * pollsBetweenRetries, MAX_POLLS_BETWEEN_RETRIES);
      }
      pollsUntilRetry = pollsBetweenRetries;
    }
    state.readPlan(
        plan.equals(wholePlan)
            ? ReadPlanHealth.WHOLE
            : new ReadPlanHealth(
                Math.max(0, plan.blocks().size() - wholePlan.blocks().size()),
                registers(wholePlan) - registers(plan),
                pollsUntilRetry));
  }

  private static int registers(ReadPlan p) {
    return (int)
        p.points().stream()
            .flatMap(
                point ->
                    IntStream.range(point.address(), point.address() + point.type().registerCount())
                        .boxed())
            .distinct()
            .count();
  }

  private void fail(PollError error, long started) {
    lastRegisters = null;
    state.failed(error, Duration.ofNanos(time.nanoTime() - started));
    logStateChange(false, error.message());
  }

  private void logStateChange(boolean up, @Nullable String error) {
    Logged now = up ? Logged.UP : Logged.DOWN;
    if (logged != now) {
      if (up) {
        LOG.info(
            "meter {} (unit {} at {}): polling works",
            state.name(),
            state.unitId(),
            state.gateway());
      } else {
        LOG.warn(
            "meter {} (unit {} at {}): poll failed: {}; values are not exported until a poll succeeds",
            state.name(),
            state.unitId(),
            state.gateway(),
            error);
      }
      logged = now;
    }
  }

  private byte[] read(int address, int count) throws ModbusReadException {
    state.countRequest();
    return connection.read(
        new ReadRequest(
            state.unitId(), state.profile().functionCode(), address, count, state.timeout()));
  }

  /**
   * The identity block is read once per connection: a swapped meter shows up with its own serial. A
   * meter in integer data format fails every poll, not just the first, until it is set back to
   * float.
   */
  private void readIdentityIfNewConnection()
      throws ModbusReadException, MisconfiguredMeterException {
    MeterIdentity identity = state.identity();
    if (connection.connectionId() != identityConnection || identity == null) {
      IdentityRegisters regs = state.profile().identity();
      identity = MeterIdentity.decode(regs, read(regs.start(), regs.count()));
      state.identity(identity);
      identityConnection = connection.connectionId();
    }
    if (!identity.floatFormat()) {
      throw new MisconfiguredMeterException(
          "meter "
              + state.name()
              + " (serial "
              + identity.serial()
              + ") is set to integer data format (register 0x"
              + Integer.toHexString(state.profile().identity().dataFormat())
                  .toUpperCase(Locale.ROOT)
              + " = "
              + identity.dataFormat()
              + "); set it back to 1 (standard/float) on the meter");
    }
  }

  private double[] readValues() throws ModbusReadException {
    double[] raw = new double[state.profile().pointCount()];
    Arrays.fill(raw, Double.NaN);
    readNow.clear();
    readNowSince = time.nanoTime();
    int i = 0;
    while (i < plan.blocks().size()) {
      ReadBlock block = plan.blocks().get(i);
      byte[] data;
      try {
        data = read(block.start(), block.count());
      } catch (ModbusReadException e) {
        if (!e.isRangeRefused()) {
          throw e;
        }
        state.countError(e.failure());
        plan = replan(block);
        continue; // read the block's replacement, now at position i
      }
      readNow.add(new PolledRegisters.Words(block, data));
      for (RegisterPoint p : plan.pointsIn(block)) {
        raw[p.index()] = p.type().decode(data, 2 * (p.address() - block.start()));
      }
      i++;
    }
    return raw;
  }

  /**
   * The meter refused a block: remember a split of it (or, for a single value, leave that value
   * out).
   */
  private ReadPlan replan(ReadBlock refused) {
    return plan.split(refused)
        .map(
            split -> {
              LOG.warn(
                  "meter {} refused the read {}; reading it in two parts from now on",
                  state.name(),
                  refused);
              return split;
            })
        .orElseGet(
            () -> {
              LOG.warn(
                  "meter {} refused the read {}; that value is left out from now on",
                  state.name(),
                  refused);
              return plan.without(refused);
            });
  }

  /** Applies the data-quality rules to register values and returns them in exported units. */
  private double[] checkedValues(double[] raw, long readAt) {
    double[] values = new double[raw.length];
    Arrays.fill(values, Double.NaN);
    Map<Integer, Boolean> registerOk = new HashMap<>();
    for (RegisterPoint p : plan.points()) {
      registerOk.computeIfAbsent(
          p.address(), address -> checkRegister(address, raw[p.index()], readAt));
    }
    for (MetricDefinition m : state.profile().metrics()) {
      for (RegisterPoint p : m.points()) {
        if (!registerOk.getOrDefault(p.address(), false)) {
          continue;
        }
        // + 0.0 turns -0.0 into 0: "-0.0" is no reading a meter means, and a counter has no sign
        double value = raw[p.index()] * m.scale() + 0.0;
        if (m.plausible(value)) {
          values[p.index()] = value;
        } else if (!m.legacy()) {
          state.countError(FaultReason.IMPLAUSIBLE);
        }
      }
    }
    return values;
  }

  /** One verdict per register, however many metrics use it, so each bad value is counted once. */
  private boolean checkRegister(int address, double value, long readAt) {
    if (Double.isNaN(value) && !wasRead(address)) {
      return false;
    }
    if (!Double.isFinite(value) || (value != 0 && Math.abs(value) < SMALLEST_REAL_VALUE)) {
      state.countError(FaultReason.IMPLAUSIBLE);
      return false;
    }
    CounterGuard guard = counterGuards.get(address);
    if (guard == null) {
      return true;
    }
    return switch (guard.check(value, readAt)) {
      case ACCEPTED -> true;
      case DECREASE -> {
        state.countError(FaultReason.COUNTER_DECREASE);
        yield false;
      }
      case JUMP -> {
        state.countError(FaultReason.COUNTER_JUMP);
        yield false;
      }
    };
  }

  private boolean wasRead(int address) {
    return plan.blocks().stream().anyMatch(b -> b.covers(address, 1));
  }

  /** The state the log last told of; a change is logged once. */
  private enum Logged {
    NOTHING_YET,
    UP,
    DOWN
  }

  /** The meter's identity says its values cannot be decoded. */
  static final class MisconfiguredMeterException extends Exception {
    MisconfiguredMeterException(String message) {
      super(message);
    }

    /** Never null: every constructor takes the message (it is what the user reads). */
    @Override
    public String getMessage() {
      return Objects.requireNonNull(super.getMessage());
    }
  }
}
