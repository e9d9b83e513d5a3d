package dev.wagoexporter.sim;

import dev.wagoexporter.config.InvalidSettingException;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.modbus.Framing;
import java.time.Clock;
import java.util.Collections;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the simulated gateway serves. {@code simulate} builds it from its flags; the {@code with}
 * methods change one setting of {@link #defaults()}, for {@code demo} and for tests (which vary
 * every setting).
 *
 * @param host address to listen on ({@code 0.0.0.0} for all interfaces)
 * @param port TCP port; 0 picks a free one ({@link MeterSimulator#port()} tells which)
 * @param framing {@link Framing#TCP} (gateway in Modbus TCP mode) or {@link Framing#RTU_OVER_TCP}
 *     (transparent)
 * @param unitIds Modbus ids of the meters on the simulated RS485 bus (1..247); other ids get no
 *     reply
 * @param clock source of time for the household model; a fixed clock gives the same values on every
 *     request
 * @param speed how much faster than the clock simulated time runs (3600 = one hour a second, for
 *     demos)
 * @param lineTiming RS485 line to simulate; without it the simulator replies at once
 * @param heatPumpUnit Modbus id of a {@link SimulatedHeatPump} on the same bus, or empty for meters
 *     only
 * @param mixUpReplies reproduce a shared gateway's mix-up (Modbus TCP framing only): each reply
 *     goes to the connection that sent the latest request, with that request's transaction id
 */
public record SimulatorOptions(
    String host,
    int port,
    Framing framing,
    Set<Integer> unitIds,
    Clock clock,
    double speed,
    @Nullable LineTiming lineTiming,
    OptionalInt heatPumpUnit,
    boolean mixUpReplies) {

  public SimulatorOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "simulator host must not be empty (use 0.0.0.0 for all interfaces)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("simulator port must be 0..65535, was " + port);
    }
    if (framing != Framing.TCP && framing != Framing.RTU_OVER_TCP) {
      throw new IllegalArgumentException(
          "simulator framing must be tcp or rtu-over-tcp, was "
              + framing
              + " (a gateway runs one mode)");
    }
    if (unitIds == null || unitIds.isEmpty()) {
      throw new IllegalArgumentException(
          "simulator needs at least one unit id (the WAGO factory default is 1)");
    }
    for (int id : unitIds) {
      UnitIds.require("unit_ids", id);
    }
    unitIds = Collections.unmodifiableSet(new TreeSet<>(unitIds));
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive number, was " + speed);
    }
    if (heatPumpUnit == null) {
      throw new IllegalArgumentException("heatPumpUnit must not be null (OptionalInt.empty())");
    }
    if (heatPumpUnit.isPresent()) {
      int unit = heatPumpUnit.getAsInt();
      try {
        UnitIds.require("heat_pump_unit", unit);
      } catch (InvalidSettingException e) {
        throw new IllegalArgumentException("heat pump: " + e.getMessage(), e);
      }
      if (unitIds.contains(unit)) {
        throw new IllegalArgumentException(
            "heat pump unit id "
                + unit
                + " is also a meter's; give the heat pump an id of its own (e.g. 5)");
      }
    }
    if (mixUpReplies && framing != Framing.TCP) {
      throw new IllegalArgumentException(
          "mixed-up replies need framing tcp (a gateway in Modbus TCP mode serves several clients;"
              + " the simulator's rtu-over-tcp takes one at a time)");
    }
  }

  /** Every unit id on the simulated bus: the meters and the heat pump. */
  public Set<Integer> busUnitIds() {
    Set<Integer> all = new TreeSet<>(unitIds);
    heatPumpUnit.ifPresent(all::add);
    return Collections.unmodifiableSet(all);
  }

  /** 127.0.0.1, a free port, Modbus TCP, unit 1, the system clock at real speed, no line delay. */
  // the simulated household follows the local time of day (load, tariffs), as a real one does
  @SuppressWarnings("JavaTimeDefaultTimeZone")
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(
        "127.0.0.1",
        0,
        Framing.TCP,
        Set.of(1),
        Clock.systemDefaultZone(),
        1.0,
        null,
        OptionalInt.empty(),
        false);
  }

  public SimulatorOptions withHost(String newHost) {
    return new SimulatorOptions(
        newHost, port, framing, unitIds, clock, speed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withPort(int newPort) {
    return new SimulatorOptions(
        host, newPort, framing, unitIds, clock, speed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withFraming(Framing newFraming) {
    return new SimulatorOptions(
        host, port, newFraming, unitIds, clock, speed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withUnitIds(Set<Integer> newUnitIds) {
    return new SimulatorOptions(
        host, port, framing, newUnitIds, clock, speed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withClock(Clock newClock) {
    return new SimulatorOptions(
        host, port, framing, unitIds, newClock, speed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withSpeed(double newSpeed) {
    return new SimulatorOptions(
        host, port, framing, unitIds, clock, newSpeed, lineTiming, heatPumpUnit, mixUpReplies);
  }

  public SimulatorOptions withLineTiming(LineTiming newLineTiming) {
    return new SimulatorOptions(
        host, port, framing, unitIds, clock, speed, newLineTiming, heatPumpUnit, mixUpReplies);
  }

  /** Adds a {@link SimulatedHeatPump} at {@code unitId} to the bus. */
  public SimulatorOptions withHeatPumpUnit(int unitId) {
    return new SimulatorOptions(
        host,
        port,
        framing,
        unitIds,
        clock,
        speed,
        lineTiming,
        OptionalInt.of(unitId),
        mixUpReplies);
  }

  /** Mixes up replies between client connections as a shared gateway does. */
  public SimulatorOptions withMixUpReplies(boolean newMixUpReplies) {
    return new SimulatorOptions(
        host, port, framing, unitIds, clock, speed, lineTiming, heatPumpUnit, newMixUpReplies);
  }
}
