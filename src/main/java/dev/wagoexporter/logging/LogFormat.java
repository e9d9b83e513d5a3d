package dev.wagoexporter.logging;

import java.util.Locale;

/** How a log line is written: logfmt (key=value, as Prometheus' Go exporters) or JSON. */
public enum LogFormat {
  LOGFMT,
  JSON;

  public static LogFormat parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "logfmt" -> LOGFMT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              "unknown log format '" + text + "' (use logfmt or json)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
