package dev.wagoexporter.check;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.modbus.ModbusLine;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.ReadRequest;
import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.poll.ReadBlock;
import dev.wagoexporter.poll.ReadPlan;
import dev.wagoexporter.poll.ReadPlanner;
import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.MetricKind;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.RegisterPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks one unit id on a line what it is: its identity block, then a few current values, both from
 * the profile. Reads only. Works on any {@link ModbusLine}, a gateway's connection or a serial
 * port.
 */
public final class MeterCheck {
  /** Function code of the identity block (holding registers, as the WAGO meter serves it). */
  private static final int IDENTITY_FUNCTION = 3;

  /** The values shown at a glance, when the profile has them; else its first gauges. */
  private static final List<String> AT_A_GLANCE =
      List.of("wago_voltage_volts", "wago_frequency_hertz", "wago_system_active_power_watts");

  private static final int FALLBACK_GAUGES = 3;

  private final ModbusLine line;
  private final Profile profile;
  private final List<MetricDefinition> glance;

  public MeterCheck(ModbusLine line, Profile profile) {
    this.line = line;
    this.profile = profile;
    this.glance = atAGlance(profile);
  }

  /** Reads unit {@code unit}'s identity and current values, each request within {@code timeout}. */
  public UnitFinding check(int unit, Duration timeout) {
    IdentityRegisters regs = profile.identity();
    MeterIdentity identity;
    try {
      identity =
          MeterIdentity.decode(
              regs,
              line.read(
                  new ReadRequest(unit, IDENTITY_FUNCTION, regs.start(), regs.count(), timeout)));
    } catch (ModbusReadException e) {
      return e.failure() == FaultReason.EXCEPTION
          ? new UnitFinding.Refused(unit, e)
          : new UnitFinding.Silent(unit, e);
    }
    // the identity read answered, so the line has found its framing (auto included)
    Framing framing = Objects.requireNonNull(line.framing());
    try {
      return new UnitFinding.Found(unit, framing, identity, now(unit, timeout), null);
    } catch (ModbusReadException e) {
      return new UnitFinding.Found(unit, framing, identity, List.of(), e);
    }
  }

  private List<UnitFinding.Reading> now(int unit, Duration timeout) throws ModbusReadException {
    if (glance.isEmpty()) {
      return List.of();
    }
    List<RegisterPoint> points = glance.stream().flatMap(m -> m.points().stream()).toList();
    ReadPlan plan =
        ReadPlanner.plan(points, ModbusLimits.MAX_READ_REGISTERS, ReadPlanner.DEFAULT_MAX_GAP);
    Map<RegisterPoint, Double> raw = new HashMap<>();
    for (ReadBlock block : plan.blocks()) {
      byte[] data =
          line.read(
              new ReadRequest(unit, profile.functionCode(), block.start(), block.count(), timeout));
      for (RegisterPoint p : plan.pointsIn(block)) {
        raw.put(p, p.type().decode(data, 2 * (p.address() - block.start())));
      }
    }
    List<UnitFinding.Reading> readings = new ArrayList<>();
    for (MetricDefinition m : glance) {
      for (RegisterPoint p : m.points()) {
        Double value = raw.get(p);
        if (value != null) {
          String label =
              p.labels().isEmpty() ? shortName(m) : String.join(",", p.labels().values());
          readings.add(new UnitFinding.Reading(label, value * m.scale(), m.unit()));
        }
      }
    }
    return readings;
  }

  private static List<MetricDefinition> atAGlance(Profile profile) {
    List<MetricDefinition> chosen = new ArrayList<>();
    for (String name : AT_A_GLANCE) {
      profile.metrics().stream()
          .filter(m -> m.name().equals(name))
          .findFirst()
          .ifPresent(chosen::add);
    }
    if (chosen.isEmpty()) {
      profile.metrics().stream()
          .filter(m -> m.kind() == MetricKind.GAUGE && !m.legacy())
          .limit(FALLBACK_GAUGES)
          .forEach(chosen::add);
    }
    return List.copyOf(chosen);
  }

  private static String shortName(MetricDefinition m) {
    String n = m.name().replaceFirst("^wago_", "").replaceFirst("^system_", "");
    int unitSuffix = n.lastIndexOf('_');
    return (unitSuffix > 0 ? n.substring(0, unitSuffix) : n).replace('_', ' ');
  }
}
