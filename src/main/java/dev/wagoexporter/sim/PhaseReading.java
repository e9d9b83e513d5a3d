package dev.wagoexporter.sim;

/**
 * One phase's instantaneous values in the meter's units. Built only through {@link #of} so that
 * {@code S = V·I/1000}, {@code P = S·PF} and {@code Q = sqrt(S²−P²)} always hold.
 */
record PhaseReading(
    double volts,
    double amps,
    double activeKw,
    double reactiveKvar,
    double apparentKva,
    double powerFactor) {

  /**
   * The phase drawing {@code activeKw} at {@code volts} with power factor {@code powerFactor}
   * (inductive load).
   */
  static PhaseReading of(double volts, double activeKw, double powerFactor) {
    double apparentKva = activeKw / powerFactor;
    double amps = apparentKva * 1000.0 / volts;
    double reactiveKvar = Math.sqrt(Math.max(0.0, apparentKva * apparentKva - activeKw * activeKw));
    return new PhaseReading(volts, amps, activeKw, reactiveKvar, apparentKva, powerFactor);
  }
}
