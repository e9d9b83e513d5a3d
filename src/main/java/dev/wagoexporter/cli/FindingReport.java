package dev.wagoexporter.cli;

import dev.wagoexporter.check.CheckHints;
import dev.wagoexporter.check.UnitFinding;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusReadException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@code check} prints what it learnt about one unit id, the same for a gateway and a serial
 * line: the line the meter was found on, its identity, its current values (read from the profile by
 * {@link dev.wagoexporter.check.MeterCheck}), and for a failure the likely cause ({@link
 * CheckHints}). Only where the meter was found and the hint for silence differ between the two.
 */
final class FindingReport {
  /** Where a meter was found, after "unit N: meter found ". */
  private interface Where {
    String of(UnitFinding.Found found);
  }

  /** The likely cause when unit {@code unit} gave no usable reply. */
  private interface SilenceHint {
    String of(int unit, ModbusReadException e);
  }

  private final PrintWriter out;
  private final Where where;
  private final SilenceHint silence;

  private FindingReport(PrintWriter out, Where where, SilenceHint silence) {
    this.out = out;
    this.where = where;
    this.silence = silence;
  }

  /** For a gateway checked in the framing {@code asked} (auto: the one found is shown to pin). */
  static FindingReport forGateway(PrintWriter out, Framing asked) {
    return new FindingReport(
        out,
        f ->
            "over "
                + f.framing()
                + " framing"
                + (asked == Framing.AUTO
                    ? " (pin it: --framing " + f.framing() + ", framing: " + f.framing() + ")"
                    : ""),
        (unit, e) -> CheckHints.silent(unit, e, asked));
  }

  /** For a serial device read at the line settings of {@code line}. */
  static FindingReport forSerial(PrintWriter out, SerialConfig line) {
    return new FindingReport(
        out,
        f -> "on " + line.device() + " at " + line.lineSettings() + " (Modbus RTU)",
        (unit, e) -> CheckHints.silentOnSerial(unit, e, line.lineSettings()));
  }

  void print(UnitFinding f) {
    if (f instanceof UnitFinding.Found found) {
      printFound(found);
    } else if (f instanceof UnitFinding.Refused r) {
      out.println("unit " + r.unit() + ": " + r.error().getMessage());
      out.println("  likely cause: " + CheckHints.refused(r.unit(), r.error()));
    } else if (f instanceof UnitFinding.Silent s) {
      out.println("unit " + s.unit() + ": " + s.error().getMessage());
      out.println("  likely cause: " + silence.of(s.unit(), s.error()));
    }
  }

  private void printFound(UnitFinding.Found f) {
    out.println("unit " + f.unit() + ": meter found " + where.of(f));
    out.println("  " + f.identity().describe());
    if (f.nowError() != null) {
      out.println("  values: " + f.nowError().getMessage());
      out.println("  likely cause: " + silence.of(f.unit(), f.nowError()));
    } else if (!f.now().isEmpty()) {
      out.println(
          "  now: "
              + f.now().stream()
                  .map(r -> r.label() + " " + format(r.value()) + " " + r.unit())
                  .collect(Collectors.joining(", ")));
    }
  }

  private static String format(double v) {
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
