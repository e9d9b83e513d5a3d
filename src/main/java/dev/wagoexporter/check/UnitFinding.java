package dev.wagoexporter.check;

import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.poll.MeterIdentity;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What {@code check} learnt about one unit id. */
public sealed interface UnitFinding {
  int unit();

  /**
   * A meter answered its identity read.
   *
   * @param now a few current values read from the profile, or empty when their read failed
   * @param nowError why the values could not be read
   */
  record Found(
      int unit,
      Framing framing,
      MeterIdentity identity,
      List<Reading> now,
      @Nullable ModbusReadException nowError)
      implements UnitFinding {
    /** Found, and the exporter can read it as it is. */
    public boolean healthy() {
      return identity.floatFormat() && nowError == null;
    }
  }

  /** A well-formed Modbus exception reply: the framing is right, but no identity came back. */
  record Refused(int unit, ModbusReadException error) implements UnitFinding {
    public int exceptionCode() {
      return error.exceptionCode();
    }
  }

  /**
   * No usable reply: timeout, garbled or mismatched frames, the connection dropped. The framing may
   * be wrong.
   */
  record Silent(int unit, ModbusReadException error) implements UnitFinding {}

  /** One current value, e.g. "L1" 231.2 "V". */
  record Reading(String label, double value, String unit) {}
}
