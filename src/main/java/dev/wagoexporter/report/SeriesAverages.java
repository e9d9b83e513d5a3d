package dev.wagoexporter.report;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The {@code --average} columns: sum, count, minimum and maximum of a series' samples per 15
 * minutes of the report's grid, so that any period (a 23-hour day, a month) is the merge of its
 * quarter hours, in as few requests as the energy itself.
 */
final class SeriesAverages {
  private final Map<String, NavigableMap<Instant, SeriesStats>> grids = new HashMap<>();

  private SeriesAverages() {}

  static SeriesAverages read(
      PrometheusClient prometheus, Map<String, String> selectors, Instant first, Instant last)
      throws IOException {
    SeriesAverages averages = new SeriesAverages();
    List<String> names = new ArrayList<>(selectors.keySet());
    List<String> parts = new ArrayList<>();
    String window = "[" + EnergyReportReader.GRID.toSeconds() + "s]";
    for (int i = 0; i < names.size(); i++) {
      String selector = selectors.get(names.get(i));
      for (String stat : List.of("sum", "count", "min", "max")) {
        // one value per column and quarter hour, however many series the selector matches
        String aggregate = stat.equals("count") ? "sum" : stat;
        parts.add(
            "label_replace("
                + aggregate
                + "("
                + stat
                + "_over_time("
                + selector
                + window
                + ")), \"average\", \""
                + i
                + " "
                + stat
                + "\", \"\", \"\")");
      }
      averages.grids.put(names.get(i), new TreeMap<>());
    }
    if (parts.isEmpty()) return averages;
    Map<String, Map<Instant, double[]>> values = new HashMap<>();
    for (TimeSeries series :
        EnergyReportReader.gridRange(prometheus, String.join(" or ", parts), first, last)) {
      // every series of the query has the label its label_replace sets
      String[] key = Objects.requireNonNull(series.label("average")).split(" ", 2);
      String name = names.get(Integer.parseInt(key[0]));
      int stat = List.of("sum", "count", "min", "max").indexOf(key[1]);
      for (Sample s : series.samples()) {
        values.computeIfAbsent(name, n -> new HashMap<>())
                .computeIfAbsent(s.time(), t -> new double[4])[stat] =
            s.value();
      }
    }
    values.forEach(
        (name, byTime) ->
            byTime.forEach(
                (t, v) ->
                    // every name read back is a column whose grid was put above
                    Objects.requireNonNull(averages.grids.get(name))
                        .put(t, new SeriesStats(v[0], Math.round(v[1]), v[2], v[3]))));
    return averages;
  }

  /** Every column's samples with {@code start < time <= end}. */
  Map<String, SeriesStats> over(Instant start, Instant end) {
    Map<String, SeriesStats> stats = new HashMap<>();
    grids.forEach((name, grid) -> stats.put(name, merged(grid, start, end)));
    return stats;
  }

  private static SeriesStats merged(
      NavigableMap<Instant, SeriesStats> grid, Instant start, Instant end) {
    SeriesStats all = SeriesStats.NONE;
    for (SeriesStats s : grid.subMap(start, false, end, true).values()) all = all.plus(s);
    return all;
  }

  /**
   * Heating degree days of {@code period}: per local day, base temperature minus the day's mean
   * outdoor temperature where positive; a day only partly in the period (today so far) counts with
   * the share of it that is. Unknown when a day has no outdoor sample.
   */
  OptionalDouble degreeDays(String outdoor, ReportPeriod period, ZoneId zone, double base) {
    NavigableMap<Instant, SeriesStats> grid = grids.get(outdoor);
    if (grid == null) return OptionalDouble.empty();
    double degreeDays = 0;
    LocalDate day = period.start().toLocalDate();
    while (day.atStartOfDay(zone).isBefore(period.end())) {
      ZonedDateTime dayStart = day.atStartOfDay(zone);
      ZonedDateTime dayEnd = day.plusDays(1).atStartOfDay(zone);
      ZonedDateTime from = dayStart.isBefore(period.start()) ? period.start() : dayStart;
      ZonedDateTime to = dayEnd.isAfter(period.end()) ? period.end() : dayEnd;
      OptionalDouble mean = merged(grid, from.toInstant(), to.toInstant()).average();
      if (mean.isEmpty()) return OptionalDouble.empty();
      double share =
          (double) Duration.between(from, to).toSeconds()
              / Duration.between(dayStart, dayEnd).toSeconds();
      degreeDays += Math.max(0, base - mean.getAsDouble()) * share;
      day = day.plusDays(1);
    }
    return OptionalDouble.of(degreeDays);
  }
}
