package dev.wagoexporter.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The report as one JSON document: its periods and their {@code total}; a period not over yet has
 * {@code partial: true} and ends at its last reading. An unknown value is {@code null} (never 0),
 * with the reason in {@code missing}.
 */
public final class JsonReportFormatter implements ReportFormatter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static void period(ObjectNode p, PeriodRow row, EnergyReport report) {
    p.put("period", row.period().label());
    p.put("start", row.period().start().toOffsetDateTime().toString());
    p.put("end", row.period().end().toOffsetDateTime().toString());
    p.put("hours", row.period().hours());
    p.put("partial", row.partial());
    p.put("source", row.source().key());
    for (EnergyDirection direction : report.directions()) {
      ObjectNode values = p.putObject(direction.key());
      for (EnergyRegister register : report.registers()) {
        if (register.direction() != direction) continue;
        var kwh = row.of(register).kwh();
        if (kwh.isPresent()) values.put(register.phase(), ReportFormatter.kwh(kwh.getAsDouble()));
        else values.putNull(register.phase());
      }
    }
    if (report.pricePerKwh().isPresent()) {
      var cost = row.cost(report.pricePerKwh());
      if (cost.isPresent()) p.put("cost", ReportFormatter.money(cost.getAsDouble()));
      else p.putNull("cost");
    }
    if (!report.averages().isEmpty()) {
      ObjectNode averages = p.putObject("averages");
      for (String name : report.averages()) {
        ObjectNode stats = averages.putObject(name);
        SeriesStats s = row.average(name);
        number(stats, "avg", s.average());
        number(stats, "min", s.minimum());
        number(stats, "max", s.maximum());
        stats.put("samples", s.count());
      }
    }
    if (report.hasDegreeDays()) {
      number(p, "heating_degree_days", row.degreeDays());
      var perDegreeDay = row.kwhPerDegreeDay();
      if (perDegreeDay.isPresent()) {
        p.put("import_kwh_per_degree_day", ReportFormatter.kwh(perDegreeDay.getAsDouble()));
      } else {
        p.putNull("import_kwh_per_degree_day");
      }
      if (report.directions().contains(EnergyDirection.COMBINED)) {
        var combined = row.kwhPerDegreeDay(EnergyDirection.COMBINED);
        if (combined.isPresent()) {
          p.put("combined_kwh_per_degree_day", ReportFormatter.kwh(combined.getAsDouble()));
        } else {
          p.putNull("combined_kwh_per_degree_day");
        }
      }
    }
    p.put("complete", row.complete());
    p.put("resets", row.resets());
    if (!row.complete()) p.put("missing", row.missing());
  }

  private static void number(ObjectNode node, String field, java.util.OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, new java.math.BigDecimal(ReportFormatter.decimal(value, "")));
    } else {
      node.putNull(field);
    }
  }

  @Override
  public String format(EnergyReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("meter", report.meter());
    root.put("timezone", report.zone().getId());
    root.put("period", report.unit().name().toLowerCase(java.util.Locale.ROOT));
    root.put("unit", "kWh");
    if (report.hasDegreeDays()) root.put("base_temperature_celsius", report.baseTemperature());
    if (report.pricePerKwh().isPresent())
      root.put("price_per_kwh", report.pricePerKwh().getAsDouble());
    ArrayNode periods = root.putArray("periods");
    for (PeriodRow row : report.rows()) {
      period(periods.addObject(), row, report);
    }
    period(root.putObject("total"), report.total(), report);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
