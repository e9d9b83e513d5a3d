package dev.wagoexporter.modbus;

/**
 * The limits the Modbus specification sets, in one place for config, flags, {@code /probe}, the
 * read planner and the request builder.
 */
public final class ModbusLimits {
  /** The lowest address of a device on a serial line (0 is broadcast, which gets no reply). */
  public static final int MIN_UNIT_ID = 1;

  /** The highest device address on a serial line; 248..255 are reserved. */
  public static final int MAX_UNIT_ID = 247;

  /**
   * The most registers one read (function 03/04) may return: 250 data bytes in a 256-byte frame.
   */
  public static final int MAX_READ_REGISTERS = 125;

  /** The most coils or discrete inputs one read (function 01/02) may return. */
  public static final int MAX_READ_BITS = 2000;

  /** The most coils one write (function 15) may carry. */
  public static final int MAX_WRITE_COILS = 1968;

  /** The most registers one write (function 16) may carry. */
  public static final int MAX_WRITE_REGISTERS = 123;

  private ModbusLimits() {}

  public static boolean isUnitId(int unitId) {
    return unitId >= MIN_UNIT_ID && unitId <= MAX_UNIT_ID;
  }

  /** {@code 1..247}, as error messages spell the range. */
  public static String unitIdRange() {
    return MIN_UNIT_ID + ".." + MAX_UNIT_ID;
  }
}
