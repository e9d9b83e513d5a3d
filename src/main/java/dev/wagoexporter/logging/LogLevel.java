package dev.wagoexporter.logging;

import ch.qos.logback.classic.Level;
import java.util.Locale;

/** The levels of {@code --log.level}, as Prometheus exporters name them. */
public enum LogLevel {
  DEBUG(Level.DEBUG),
  INFO(Level.INFO),
  WARN(Level.WARN),
  ERROR(Level.ERROR);

  final Level logback;

  LogLevel(Level logback) {
    this.logback = logback;
  }

  public static LogLevel parse(String text) {
    for (LogLevel l : values()) {
      if (l.toString().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown log level '" + text + "' (use debug, info, warn or error)");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
