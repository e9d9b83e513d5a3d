package dev.wagoexporter.sim;

import java.util.List;

/**
 * The three phases and the grid frequency at one instant, with the system values the meter derives
 * from them.
 */
record GridReading(List<PhaseReading> phases, double frequencyHz) {

  GridReading {
    if (phases.size() != 3) {
      throw new IllegalArgumentException(
          "a three-phase meter needs 3 phases, got " + phases.size());
    }
    phases = List.copyOf(phases);
  }

  PhaseReading phase(int index) {
    return phases.get(index);
  }

  double averageVolts() {
    return phases.stream().mapToDouble(PhaseReading::volts).average().orElseThrow();
  }

  /**
   * Sum of the phase currents (the meaning of 0x500A is not documented; sum is what a load
   * calculation needs).
   */
  double totalAmps() {
    return phases.stream().mapToDouble(PhaseReading::amps).sum();
  }

  double totalActiveKw() {
    return phases.stream().mapToDouble(PhaseReading::activeKw).sum();
  }

  double totalReactiveKvar() {
    return phases.stream().mapToDouble(PhaseReading::reactiveKvar).sum();
  }

  double totalApparentKva() {
    return phases.stream().mapToDouble(PhaseReading::apparentKva).sum();
  }

  double totalPowerFactor() {
    double s = totalApparentKva();
    return s == 0 ? 1.0 : totalActiveKw() / s;
  }

  /** Line-to-line voltage between phases a and b, 120° apart: sqrt(Va² + Vb² + Va·Vb). */
  double lineVolts(int a, int b) {
    double va = phase(a).volts();
    double vb = phase(b).volts();
    return Math.sqrt(va * va + vb * vb + va * vb);
  }
}
