package dev.wagoexporter.profile;

import java.util.Locale;

/**
 * How a value is laid out in holding registers. Multi-register values are big-endian in word and
 * byte order (ABCD), as the WAGO meter sends them.
 */
public enum ValueType {
  FLOAT32(2),
  INT16(1),
  UINT16(1),
  UINT32(2);

  private final int registerCount;

  ValueType(int registerCount) {
    this.registerCount = registerCount;
  }

  public int registerCount() {
    return registerCount;
  }

  /**
   * Decodes the value at {@code offset} bytes into {@code data}, which holds the registers of one
   * reply. Pure and allocation-free, so it can be fuzzed on plain arrays.
   */
  public double decode(byte[] data, int offset) {
    int hi = ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    return switch (this) {
      case FLOAT32 -> Float.intBitsToFloat((hi << 16) | word(data, offset + 2));
      case INT16 -> (short) hi;
      case UINT16 -> hi;
      case UINT32 -> ((long) hi << 16) | word(data, offset + 2);
    };
  }

  private static int word(byte[] data, int offset) {
    return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
  }

  public static ValueType parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown type '" + text + "' (use float32, int16, uint16 or uint32)");
    }
  }
}
