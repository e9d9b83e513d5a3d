package dev.wagoexporter.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way Prometheus users write them: {@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h}.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
  private static final String FORMATS = "write a whole number and a unit: 500ms, 30s, 2m or 1h";

  private Durations() {}

  /**
   * Parses one whole number with a unit; throws {@link IllegalArgumentException} naming the
   * accepted forms.
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = DURATION.matcher(trimmed);
    if (m.matches()) {
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException tooManyDigits) {
        throw invalid("duration '" + text + "' is too long", FORMATS);
      }
      try {
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      } catch (ArithmeticException tooLong) {
        throw invalid("duration '" + text + "' is too long", FORMATS);
      }
    }
    if (trimmed.isEmpty()) {
      throw invalid("duration is empty", FORMATS);
    }
    if (trimmed.startsWith("-")) {
      throw invalid("duration '" + text + "' is negative", FORMATS);
    }
    if (BARE_NUMBER.matcher(trimmed).matches()) {
      throw invalid(
          "duration '" + text + "' has no unit",
          "write e.g. " + trimmed + "s for seconds; units are ms, s, m, h");
    }
    if (trimmed.matches("\\d+\\.\\d+\\s*[a-z]+")) {
      throw invalid(
          "duration '" + text + "' is not a whole number",
          "use a smaller unit, e.g. 1500ms instead of 1.5s");
    }
    throw invalid("invalid duration '" + text + "'", FORMATS);
  }

  private static IllegalArgumentException invalid(String problem, String fix) {
    return new IllegalArgumentException(problem + " (" + fix + ")");
  }

  /** The shorter of two durations: the one helper for every "at most" on durations. */
  public static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Writes a duration in the largest unit that keeps it exact, so that {@code parse(format(d))}
   * equals {@code d}.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
