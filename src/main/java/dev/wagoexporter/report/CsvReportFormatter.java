package dev.wagoexporter.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One line per period and no total line (a spreadsheet's sum over a column stays right); a period
 * not over yet has {@code partial=true} and its {@code end} is the last reading's time. An unknown
 * value is an empty cell (never 0) and {@code complete=false} with the reason in {@code missing};
 * {@code source} says where the readings came from ({@link ReadingSource}).
 */
public final class CsvReportFormatter implements ReportFormatter {
  @Override
  public String format(EnergyReport report) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("period", "start", "end", "hours"));
    for (EnergyRegister register : report.registers()) header.add(ReportFormatter.column(register));
    if (report.pricePerKwh().isPresent()) header.add("cost");
    header.addAll(ReportFormatter.extraHeaders(report, "_"));
    header.addAll(List.of("source", "complete", "resets", "partial", "missing"));
    out.append(String.join(",", header)).append('\n');
    for (PeriodRow row : report.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(row.period().label());
      cells.add(row.period().start().toOffsetDateTime().toString());
      cells.add(row.period().end().toOffsetDateTime().toString());
      cells.add(ReportFormatter.hours(row.period()));
      for (EnergyRegister register : report.registers()) {
        cells.add(ReportFormatter.text(row.of(register).kwh(), ""));
      }
      if (report.pricePerKwh().isPresent()) {
        var cost = row.cost(report.pricePerKwh());
        cells.add(
            cost.isPresent() ? ReportFormatter.money(cost.getAsDouble()).toPlainString() : "");
      }
      cells.addAll(ReportFormatter.extraCells(report, row, ""));
      cells.add(row.source().key());
      cells.add(Boolean.toString(row.complete()));
      cells.add(Integer.toString(row.resets()));
      cells.add(Boolean.toString(row.partial()));
      cells.add(quote(row.missing()));
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  private static String quote(String cell) {
    if (cell.isEmpty() || cell.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n'))
      return cell;
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
