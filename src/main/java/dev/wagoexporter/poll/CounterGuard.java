package dev.wagoexporter.poll;

/**
 * Keeps one energy register monotonic. A lower value is dropped; only when lower values keep coming
 * for {@link #POLLS_TO_ACCEPT_LOWER} polls in a row (and keep growing from there) is the lower
 * value a new baseline, as after a meter was replaced. One bad sample can never make a spike in
 * {@code increase()}.
 */
final class CounterGuard {
  static final int POLLS_TO_ACCEPT_LOWER = 3;

  private double accepted = Double.NaN;
  private double candidate = Double.NaN;
  private int lowerPolls;

  /** True when {@code value} may be exported. */
  boolean accept(double value) {
    if (Double.isNaN(accepted) || value >= accepted) {
      accepted = value;
      candidate = Double.NaN;
      lowerPolls = 0;
      return true;
    }
    lowerPolls = !Double.isNaN(candidate) && value >= candidate ? lowerPolls + 1 : 1;
    candidate = value;
    if (lowerPolls >= POLLS_TO_ACCEPT_LOWER) {
      accepted = value;
      candidate = Double.NaN;
      lowerPolls = 0;
      return true;
    }
    return false;
  }
}
