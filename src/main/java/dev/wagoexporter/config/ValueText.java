package dev.wagoexporter.config;

/**
 * How a value of the wrong type is reported, whether it came from a flag, an environment variable
 * or the config file: one wording for each type, so a user sees the same sentence wherever they
 * wrote it.
 */
public final class ValueText {
  public static final String BOOLEAN_FIX = "write true or false";
  public static final String WHOLE_NUMBER_FIX = "write digits only, without quotes or units";
  public static final String NUMBER_FIX =
      "write digits with an optional decimal point and exponent, e.g. 1000 or 3.6e6, without quotes";

  private ValueText() {}

  /** {@code expected true or false, got 'yes'}; {@code got} is already quoted. */
  public static String notBoolean(String got) {
    return "expected true or false, got " + got;
  }

  /** {@code expected a whole number, got 'abc'}; {@code got} is already quoted. */
  public static String notWholeNumber(String got) {
    return "expected a whole number, got " + got;
  }

  /** {@code expected a finite number, got 'x'}; {@code got} is already quoted. */
  public static String notNumber(String got) {
    return "expected a finite number, got " + got;
  }

  public static String quoted(String value) {
    return "'" + value + "'";
  }
}
