package dev.wagoexporter.profile;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A metric family of a profile: its name, how to turn register values into base units, what range
 * of values is physically plausible, and the registers that supply its samples.
 *
 * @param unit the exported unit, for HELP text ("" for ratios)
 * @param scale factor from the meter's unit to the exported unit (kW to W: 1000)
 * @param min smallest plausible exported value
 * @param max largest plausible exported value
 * @param legacy a series of the old Python exporter, served only with {@code --legacy-metrics}
 * @param maxRate a counter's largest believable rise per second in the exported unit (J/s = W for
 *     energy in joules); a faster rise is held back until the next poll confirms it. Infinite for
 *     gauges and counters without a limit
 */
public record MetricDefinition(
    String name,
    String help,
    MetricKind kind,
    String unit,
    double scale,
    double min,
    double max,
    boolean legacy,
    double maxRate,
    List<RegisterPoint> points) {

  public MetricDefinition {
    points = List.copyOf(points);
  }

  /** The name client_java wants for a counter: without the {@code _total} suffix it adds itself. */
  public String baseName() {
    return kind == MetricKind.COUNTER && name.endsWith("_total")
        ? name.substring(0, name.length() - "_total".length())
        : name;
  }

  /**
   * HELP text naming the source registers, e.g. "Phase voltage L-N, registers 0x5002 (L1), ...".
   */
  public String fullHelp() {
    String sources =
        points.stream()
            .map(
                p ->
                    p.labels().isEmpty()
                        ? p.hexAddress()
                        : p.hexAddress() + " (" + String.join(",", p.labels().values()) + ")")
            .collect(Collectors.joining(", "));
    String unitText = unit.isEmpty() ? "" : " [" + unit + "]";
    return help
        + unitText
        + ", register"
        + (points.size() > 1 ? "s " : " ")
        + sources
        + "; from the last successful poll";
  }

  /** {@link #maxRate} in the meter's register unit per second. */
  public double maxRegisterRate() {
    return maxRate / Math.abs(scale);
  }

  public boolean plausible(double value) {
    return value >= min && value <= max;
  }
}
