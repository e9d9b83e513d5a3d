package dev.wagoexporter.report;

import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Energy of one register over one period, or why it is unknown.
 *
 * @param joules empty when a reading at the start or end of the period is missing
 * @param resets how many times the counter went down inside the period (meter reset or replaced)
 * @param missing why {@code joules} is empty; none when it is present
 */
public record PeriodEnergy(OptionalDouble joules, int resets, @Nullable String missing) {
  public static final double JOULES_PER_KWH = 3.6e6;

  public static PeriodEnergy known(double joules, int resets) {
    return new PeriodEnergy(OptionalDouble.of(joules), resets, null);
  }

  public static PeriodEnergy unknown(String why) {
    return new PeriodEnergy(OptionalDouble.empty(), 0, why);
  }

  public boolean isKnown() {
    return joules.isPresent();
  }

  public OptionalDouble kwh() {
    return joules.isPresent()
        ? OptionalDouble.of(joules.getAsDouble() / JOULES_PER_KWH)
        : OptionalDouble.empty();
  }
}
