package dev.wagoexporter.report;

/**
 * One energy register of the meter: a direction and a phase, or the meter's total register.
 *
 * @param phase {@code L1}…{@code L3}, or {@link #TOTAL} for the system register
 */
public record EnergyRegister(EnergyDirection direction, String phase) {
  public static final String TOTAL = "total";

  public boolean isTotal() {
    return TOTAL.equals(phase);
  }

  public String metric() {
    return isTotal() ? direction.systemMetric() : direction.phaseMetric();
  }
}
