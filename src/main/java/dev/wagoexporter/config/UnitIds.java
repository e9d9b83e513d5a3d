package dev.wagoexporter.config;

import dev.wagoexporter.modbus.ModbusLimits;

/**
 * The one unit id rule (a Modbus device address, {@code 1..247}) and its one message, for the
 * config file, the flags and their environment variables, and {@code /probe}: each caller only says
 * where (its key, flag or parameter), so a user reads the same words wherever a unit id is wrong.
 */
public final class UnitIds {
  /** How to fix any bad unit id. */
  public static final String FIX =
      "give the device's Modbus address, "
          + ModbusLimits.MIN_UNIT_ID
          + " to "
          + ModbusLimits.MAX_UNIT_ID
          + "; a WAGO meter's factory default is 1";

  private UnitIds() {}

  /**
   * {@code unitId} if it is a device address.
   *
   * @param key where it was given, relative to the record that checks it (e.g. {@code unit_id})
   */
  public static int require(String key, int unitId) {
    if (!ModbusLimits.isUnitId(unitId)) {
      throw new InvalidSettingException(
          key, "unit id " + unitId + " is outside " + ModbusLimits.unitIdRange(), FIX);
    }
    return unitId;
  }

  /** Reads a unit id from text, by the same rule and with the same message. */
  public static int parse(String key, String text) {
    int unitId;
    try {
      unitId = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "'" + text.strip() + "' is not a unit id", FIX);
    }
    return require(key, unitId);
  }
}
