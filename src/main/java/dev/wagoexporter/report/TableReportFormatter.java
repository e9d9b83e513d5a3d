package dev.wagoexporter.report;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** Aligned columns for a terminal; unknown values read {@code missing}, with notes below. */
public final class TableReportFormatter implements ReportFormatter {
  @Override
  // the total row is told by identity: a data row may hold the same numbers
  @SuppressWarnings("ReferenceEquality")
  public String format(EnergyReport report) {
    List<String> header = new ArrayList<>(List.of("period", "hours"));
    // only where the old exporter's history is used: a report of counters alone looks as before
    boolean sources = report.usesLegacy();
    if (sources) header.add("source");
    for (EnergyRegister register : report.registers()) {
      header.add(register.direction().key() + " " + register.phase());
    }
    if (report.pricePerKwh().isPresent()) header.add("cost");
    header.addAll(ReportFormatter.extraHeaders(report, " "));
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    List<String> notes = new ArrayList<>();
    List<PeriodRow> rows = new ArrayList<>(report.rows());
    if (rows.size() > 1) rows.add(report.total());
    for (PeriodRow row : rows) {
      boolean total = row == rows.get(rows.size() - 1) && rows.size() > report.rows().size();
      if (total) lines.add(null); // a rule above the total
      List<String> cells =
          new ArrayList<>(
              List.of(
                  row.period().label() + (row.partial() ? " so far" : ""),
                  ReportFormatter.hours(row.period())));
      if (sources) cells.add(row.source().key());
      for (EnergyRegister register : report.registers()) {
        cells.add(ReportFormatter.text(row.of(register).kwh(), "missing"));
      }
      if (report.pricePerKwh().isPresent()) {
        var cost = row.cost(report.pricePerKwh());
        cells.add(
            cost.isPresent()
                ? ReportFormatter.money(cost.getAsDouble()).toPlainString()
                : "missing");
      }
      cells.addAll(ReportFormatter.extraCells(report, row, "missing"));
      lines.add(cells);
      ZonedDateTime until = row.until(); // a period not over yet (partial) has one
      if (until != null && !total) {
        notes.add(
            row.period().label()
                + ": not over yet, energy so far, "
                + (row.from() == null
                    ? ""
                    : "from the first reading, of " + row.from().toOffsetDateTime() + ", ")
                + "up to the reading of "
                + until.toOffsetDateTime());
      }
      if (total) continue;
      if (!row.complete()) notes.add(row.period().label() + ": incomplete, " + row.missing());
      if (row.resets() > 0) {
        notes.add(
            row.period().label()
                + ": counter reset "
                + row.resets()
                + "x (meter reset or replaced); the energy between the last sample before and the first after is not counted");
      }
    }
    int[] widths = new int[header.size()];
    for (List<String> line : lines) {
      if (line == null) continue;
      for (int i = 0; i < line.size(); i++) widths[i] = Math.max(widths[i], line.get(i).length());
    }
    StringBuilder out = new StringBuilder();
    out.append("Energy in kWh, meter ")
        .append(report.meter())
        .append(", ")
        .append(report.unit().name().toLowerCase(java.util.Locale.ROOT))
        .append("s in ")
        .append(report.zone().getId())
        .append(" (total = the meter's own total register)\n");
    for (List<String> line : lines) {
      if (line == null) {
        int width = java.util.Arrays.stream(widths).sum() + 2 * (widths.length - 1);
        out.append("-".repeat(width)).append('\n');
        continue;
      }
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        if (i == 0) out.append(String.format("%-" + widths[i] + "s", cell));
        else out.append("  ").append(String.format("%" + widths[i] + "s", cell));
      }
      out.append('\n');
    }
    for (String note : notes) out.append("note: ").append(note).append('\n');
    if (sources) {
      out.append("note: source: legacy = the old exporter's wago_energy_*_kwh, counters = the")
          .append(
              " joule counters, stitched = both, legacy up to the switch (docs/operations.md)\n");
    }
    if (report.hasDegreeDays()) {
      out.append("note: heating degree days: per day, the base temperature minus the day's mean")
          .append(" outdoor temperature where positive (docs/operations.md)\n");
    }
    return out.toString();
  }
}
