package dev.wagoexporter.profile;

import java.util.Map;

/**
 * One sample of a metric: the register it comes from and the labels that tell it apart (phase,
 * line, tariff). {@code index} is the point's position in its profile; a {@code MeterSnapshot}
 * stores values by it.
 */
public record RegisterPoint(int index, int address, ValueType type, Map<String, String> labels) {
  public RegisterPoint {
    labels = Map.copyOf(labels);
  }

  /** The first register after this value. */
  public int end() {
    return address + type.registerCount();
  }

  /** {@code 0x5002}: the address as the manual prints it. */
  public String hexAddress() {
    return String.format("0x%04X", address);
  }
}
