package dev.wagoexporter.poll;

/**
 * A value the meter sent that the exporter refused; the label is a {@code wago_modbus_errors_total}
 * reason.
 */
public enum DataFault {
  /**
   * NaN, infinite, absurdly small garbage (the old exporter saw 3.67e-27), or outside the profile's
   * range.
   */
  IMPLAUSIBLE("implausible"),
  /**
   * An energy counter lower than before: dropped until the lower value persists (meter replaced).
   */
  COUNTER_DECREASE("counter_decrease"),
  /**
   * An energy counter rose faster than the meter can measure (its profile's {@code max_rate}): held
   * back until the next poll confirms it.
   */
  COUNTER_JUMP("counter_jump"),
  /**
   * The meter refused every register of the profile (exception 02/03): nothing is read until the
   * whole plan, tried again with a back-off, is answered.
   */
  NOTHING_READ("nothing_read"),
  /** The meter's data format register says "integer": its floats would be garbage. */
  MISCONFIGURED("misconfigured");

  private final String label;

  DataFault(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
