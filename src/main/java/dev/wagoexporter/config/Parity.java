package dev.wagoexporter.config;

import java.util.Locale;

/** Parity of a serial line; the WAGO 879-30xx factory setting is even (9600 8E1). */
public enum Parity {
  EVEN,
  NONE,
  ODD;

  /** Parses {@code even}, {@code none} or {@code odd}, in any case. */
  public static Parity parse(String text) {
    for (Parity p : values()) {
      if (p.name().equalsIgnoreCase(text.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown parity '" + text + "' (use even, none or odd)");
  }

  /** The parity bits each character carries: 0 or 1. */
  public int bits() {
    return this == NONE ? 0 : 1;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
