package dev.wagoexporter.profile;

import java.util.Map;

/**
 * Where a meter keeps its identity: read once per connection, before any value is trusted.
 *
 * @param serial uint32 whose 8 hex digits are the serial printed on the meter
 * @param meterCode uint16 model code, named by {@code models}
 * @param firmware float32 software version
 * @param dataFormat uint16, 1 = float values, anything else means the values cannot be decoded as
 *     floats
 */
public record IdentityRegisters(
    int serial, int meterCode, int firmware, int dataFormat, Map<Integer, String> models) {
  public IdentityRegisters {
    models = Map.copyOf(models);
  }

  /** First register of the one read that covers the whole identity. */
  public int start() {
    return Math.min(Math.min(serial, meterCode), Math.min(firmware, dataFormat));
  }

  /** Register count of the one read that covers the whole identity. */
  public int count() {
    int end = Math.max(Math.max(serial + 2, meterCode + 1), Math.max(firmware + 2, dataFormat + 1));
    return end - start();
  }
}
