package dev.wagoexporter.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A write request that reached a simulated device: refused with exception 01 by a meter (the
 * exporter must never send one), stored by the heat pump.
 *
 * @param unitId the unit the request was addressed to
 * @param functionCode 5, 6, 15 or 16 (also 22 and 23, always refused)
 * @param address the first coil or register written
 * @param values what the request carried: 0/1 per coil, or the raw 16-bit registers
 * @param accepted whether the device stored the values (and answered normally)
 */
public record WriteAttempt(
    int unitId, int functionCode, int address, List<Integer> values, boolean accepted) {
  public WriteAttempt {
    values = List.copyOf(values);
  }

  /** The first {@code quantity} bits of a write-coils request, 0 or 1 each. */
  static List<Integer> coilValues(byte[] packed, int quantity) {
    List<Integer> bits = new ArrayList<>(quantity);
    for (int i = 0; i < quantity && i / 8 < packed.length; i++) {
      bits.add((packed[i / 8] >> (i % 8)) & 1);
    }
    return bits;
  }

  /** The big-endian 16-bit registers of a write-registers request. */
  static List<Integer> registerValues(byte[] bytes) {
    List<Integer> registers = new ArrayList<>(bytes.length / 2);
    for (int i = 0; i + 1 < bytes.length; i += 2) {
      registers.add(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF));
    }
    return registers;
  }
}
