package dev.wagoexporter.testsupport;

import java.time.Duration;

/**
 * One factor for every time limit of the tests, for a machine slower or busier than the one the
 * limits were chosen on: {@code WAGO_TEST_TIMEOUT_FACTOR=3 mvn -B verify} (or {@code
 * -Dwago.test.timeoutFactor=3}). The limits are already generous (they pass with both cores of a
 * two-core machine busy); a limit only bounds how long a broken test takes to fail, a passing test
 * never waits for it.
 */
public final class Timeouts {
  private static final double FACTOR = factor();

  private Timeouts() {}

  /** {@code base} times the factor. */
  public static Duration scaled(Duration base) {
    return Duration.ofNanos((long) (base.toNanos() * FACTOR));
  }

  public static double factor() {
    String value =
        System.getProperty("wago.test.timeoutFactor", System.getenv("WAGO_TEST_TIMEOUT_FACTOR"));
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      double factor = Double.parseDouble(value.strip());
      if (factor >= 1) {
        return factor;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "WAGO_TEST_TIMEOUT_FACTOR / wago.test.timeoutFactor is "
            + value
            + ": give a number of at least 1, e.g. 3");
  }
}
