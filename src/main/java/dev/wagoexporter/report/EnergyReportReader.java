package dev.wagoexporter.report;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Builds an energy report from the exporter's counters in Prometheus.
 *
 * <p>Why a 15-minute grid and not the raw samples: one {@code query_range} of {@code
 * last_over_time(counter[15m])} at a 15-minute step gives, at every period boundary, the last
 * reading at or up to 15 minutes before it, which is exactly the register value the difference
 * needs, and it is small (96 points per series and day, a year in four requests), where raw
 * 30-second samples would be 2,880 per series and day. Local midnights of every current time zone,
 * on both sides of a DST change, are whole multiples of 15 minutes apart, so one grid started at
 * the first boundary hits every boundary. The grid cannot hide a reset: a counter that went down
 * between two grid points reads lower at the later one (a meter can not count back up past its old
 * reading within 15 minutes), and only then are the raw samples of that 15-minute stretch read to
 * sum the energy exactly.
 */
public final class EnergyReportReader {
  /** Grid step and the furthest a reading may lie before a boundary. */
  public static final Duration GRID = Duration.ofMinutes(15);

  // Prometheus refuses query_range answers of more than 11,000 points per series
  private static final int MAX_POINTS_PER_REQUEST = 10_000;

  private final PrometheusClient prometheus;
  private final Clock clock;

  public EnergyReportReader(PrometheusClient prometheus, Clock clock) {
    this.prometheus = prometheus;
    this.clock = clock;
  }

  public EnergyReport read(ReportRequest request) throws IOException {
    Instant now = clock.instant();
    // a period that has not begun has nothing to report: not a row, and no hours in the total
    List<ReportPeriod> periods =
        CalendarPeriods.between(request.from(), request.to(), request.unit(), request.zone())
            .stream()
            .filter(p -> p.start().toInstant().isBefore(now))
            .toList();
    if (periods.isEmpty()) {
      throw new IllegalArgumentException(
          "--from "
              + request.from()
              + " has not begun yet (today is "
              + LocalDate.ofInstant(now, request.zone())
              + " in "
              + request.zone()
              + "); give a day up to today");
    }
    Instant first = periods.get(0).start().toInstant();
    Instant last = periods.get(periods.size() - 1).end().toInstant();
    for (ReportPeriod period : periods) {
      if (Duration.between(first, period.end().toInstant()).toSeconds() % GRID.toSeconds() != 0) {
        throw new IllegalArgumentException(
            "time zone "
                + request.zone()
                + " has a midnight that is not a whole number of 15 minutes from the others; use another --tz");
      }
    }

    List<TimeSeries> gridSeries = readGrid(request, first, last);
    Map<SeriesKey, NavigableMap<Instant, Double>> grid = new HashMap<>();
    Map<String, Set<String>> counterInstances = new HashMap<>();
    List<TimeSeries> legacyGrid = new ArrayList<>();
    for (TimeSeries series : gridSeries) {
      if (LegacyGauges.register(series.label("counter")) != null) {
        legacyGrid.add(series);
        continue;
      }
      SeriesKey key = SeriesKey.of(series);
      if (key == null) continue;
      counterInstances
          .computeIfAbsent(key.meter(), m -> new TreeSet<>())
          .add(series.labels().getOrDefault("instance", ""));
      NavigableMap<Instant, Double> values = grid.computeIfAbsent(key, k -> new TreeMap<>());
      for (Sample s : series.samples()) values.put(s.time(), reading(key.register(), s));
    }
    TreeSet<String> meters =
        grid.keySet().stream().map(SeriesKey::meter).collect(Collectors.toCollection(TreeSet::new));
    if (meters.isEmpty()) {
      // a range before the switch: the meter is the one the legacy gauges name, or belong to
      for (TimeSeries series : legacyGrid) {
        String labelled = series.label("meter");
        if (labelled != null && request.meter().map(labelled::equals).orElse(true)) {
          meters.add(labelled);
        }
      }
    }
    if (meters.size() > 1) {
      throw new IllegalArgumentException(
          "Prometheus has data for several meters " + meters + "; choose one with --meter NAME");
    }
    LegacyChoice legacyChoice =
        legacyGrid.isEmpty()
            ? LegacyChoice.NONE
            : chooseLegacy(
                request,
                meters.isEmpty() ? null : meters.first(),
                counterInstances,
                legacyGrid,
                first);
    if (meters.isEmpty() && !legacyChoice.isEmpty()) {
      meters.add(request.meter().orElse(String.join(",", legacyChoice.instances())));
    }
    if (meters.isEmpty()) {
      SortedSet<String> known =
          request.meter().isPresent() ? knownMeters(first, last) : new TreeSet<>();
      throw new PrometheusQueryException(
          "Prometheus at "
              + prometheus.base()
              + " has no wago energy counters"
              + request.meter().map(m -> " for meter \"" + m + "\"").orElse("")
              + " (nor the old exporter's wago_energy_*_kwh) between "
              + periods.get(0).start().toOffsetDateTime()
              + " and "
              + periods.get(periods.size() - 1).end().toOffsetDateTime()
              + (known.isEmpty()
                  ? "; check --meter, the dates, and that Prometheus scrapes the exporter"
                  : "; the meters it has are "
                      + String.join(", ", known)
                      + ": choose one with --meter NAME, or check the dates"));
    }
    String meter = meters.first();
    TreeSet<String> phases = new TreeSet<>();
    Map<EnergyRegister, NavigableMap<Instant, Double>> counters = new HashMap<>();
    for (Map.Entry<SeriesKey, NavigableMap<Instant, Double>> e : grid.entrySet()) {
      if (e.getKey().meter().equals(meter)) counters.put(e.getKey().register(), e.getValue());
    }
    StitchedReadings stitched = StitchedReadings.of(counters, legacyChoice.joules(legacyGrid));
    Map<EnergyRegister, NavigableMap<Instant, Double>> readings = stitched.readings();
    List<EnergyDirection> directions =
        new ArrayList<>(List.of(EnergyDirection.IMPORT, EnergyDirection.EXPORT));
    for (EnergyRegister register : readings.keySet()) {
      if (!register.isTotal()) phases.add(register.phase());
      if (register.direction() == EnergyDirection.COMBINED
          && !directions.contains(EnergyDirection.COMBINED)) {
        directions.add(EnergyDirection.COMBINED);
      }
    }

    RawSampleSource raw =
        stitched.raw(new RawSamplesByStretch(meter), new LegacyRawSamples(request, legacyChoice));
    SeriesAverages averages = SeriesAverages.read(prometheus, request.averages(), first, last);
    List<String> averageNames = List.copyOf(request.averages().keySet());
    List<PeriodRow> rows = new ArrayList<>();
    EnergyReport shape =
        new EnergyReport(
            meter,
            request.zone(),
            request.unit(),
            request.pricePerKwh(),
            List.copyOf(phases),
            directions,
            List.of(),
            averageNames,
            request.baseTemperature());
    for (ReportPeriod period : periods) {
      Map<EnergyRegister, PeriodEnergy> energy = new HashMap<>();
      Instant start = period.start().toInstant();
      ReportPeriod counted = period;
      ZonedDateTime from = null;
      ZonedDateTime until = null;
      if (period.end().toInstant().isAfter(now)) {
        // today or this month: the energy so far, up to the newest reading before now, and from
        // the first one in the period when there was none at its start (the first day)
        Instant newest = newestReading(readings, start, now);
        if (newest == null) {
          for (EnergyRegister register : shape.registers()) {
            energy.put(register, PeriodEnergy.unknown("no reading yet in this period"));
          }
          rows.add(new PeriodRow(period, energy));
          continue;
        }
        until = newest.atZone(request.zone());
        if (readings.values().stream().noneMatch(r -> r.containsKey(start))) {
          from = oldestReading(readings, start, newest).atZone(request.zone());
        }
        counted = new ReportPeriod(period.label(), from == null ? period.start() : from, until);
      }
      for (EnergyRegister register : shape.registers()) {
        NavigableMap<Instant, Double> series = readings.getOrDefault(register, new TreeMap<>());
        energy.put(register, RegisterDifference.over(register, series, counted, raw));
      }
      rows.add(
          new PeriodRow(
              counted,
              energy,
              from,
              until,
              averages.over(counted.start().toInstant(), counted.end().toInstant()),
              averages.degreeDays(
                  ReportRequest.OUTDOOR, counted, request.zone(), request.baseTemperature()),
              stitched.source(counted.start().toInstant(), counted.end().toInstant())));
    }
    return new EnergyReport(
        meter,
        request.zone(),
        request.unit(),
        request.pricePerKwh(),
        List.copyOf(phases),
        directions,
        rows,
        averageNames,
        request.baseTemperature());
  }

  /** The oldest grid instant from {@code start} to {@code upTo} with any reading. */
  private static Instant oldestReading(
      Map<EnergyRegister, NavigableMap<Instant, Double>> readings, Instant start, Instant upTo) {
    Instant oldest = upTo;
    for (NavigableMap<Instant, Double> series : readings.values()) {
      Instant t = series.ceilingKey(start);
      if (t != null && t.isBefore(oldest)) oldest = t;
    }
    return oldest;
  }

  /** The newest grid instant after {@code start} and not after {@code now} with any reading. */
  private static @Nullable Instant newestReading(
      Map<EnergyRegister, NavigableMap<Instant, Double>> readings, Instant start, Instant now) {
    Instant newest = null;
    for (NavigableMap<Instant, Double> series : readings.values()) {
      Instant t = series.floorKey(now);
      if (t != null && t.isAfter(start) && (newest == null || t.isAfter(newest))) {
        newest = t;
      }
    }
    return newest;
  }

  /** The meters Prometheus has energy counters of between {@code first} and {@code last}. */
  private SortedSet<String> knownMeters(Instant first, Instant last) throws IOException {
    TreeSet<String> meters = new TreeSet<>();
    String query =
        "group by (meter) (last_over_time({__name__=~\""
            + String.join("|", metricNames())
            + "\"}["
            + Math.max(GRID.toSeconds(), Duration.between(first, last).toSeconds())
            + "s]))";
    for (TimeSeries series : prometheus.queryAt(query, last)) {
      if (series.label("meter") != null) meters.add(series.label("meter"));
    }
    return meters;
  }

  /**
   * The counters and the old exporter's gauges on the grid, in one request; each series carries its
   * metric name in the label {@code counter}.
   */
  private List<TimeSeries> readGrid(ReportRequest request, Instant first, Instant last)
      throws IOException {
    String matcher = request.meter().map(m -> "{meter=\"" + escape(m) + "\"}").orElse("");
    List<String> parts = new ArrayList<>();
    for (String metric : metricNames()) parts.add(lastInGrid(metric + matcher, metric));
    for (String metric : LegacyGauges.names()) {
      parts.add(lastInGrid(metric + legacyMatcher(request), metric));
    }
    return gridRange(prometheus, String.join(" or ", parts), first, last);
  }

  // functions drop the metric name; keep it in a label so the series stay apart
  private static String lastInGrid(String selector, String metric) {
    return "label_replace(last_over_time("
        + selector
        + "["
        + GRID.toSeconds()
        + "s]),"
        + " \"counter\", \""
        + metric
        + "\", \"\", \"\")";
  }

  private static String legacyMatcher(ReportRequest request) {
    return request.legacyMatch().map(m -> "{" + m + "}").orElse("");
  }

  /**
   * Which of the old exporter's gauges belong to {@code meter}: with {@code --legacy-match} every
   * one it selects; else those labelled with the meter (served by the exporter with {@code
   * --legacy-metrics}) and those without a {@code meter} label (the old exporter's) scraped from
   * the same {@code instance} as the meter's counters. When the range has no counters, their
   * instance is looked up from the range's start to now; when Prometheus has no counters at all
   * (not switched yet), the old gauges of a single instance are the meter's.
   */
  private LegacyChoice chooseLegacy(
      ReportRequest request,
      @Nullable String meter,
      Map<String, Set<String>> instancesInRange,
      List<TimeSeries> legacyGrid,
      Instant first)
      throws IOException {
    if (request.legacyMatch().isPresent()) {
      return new LegacyChoice(labels -> true, instancesOf(legacyGrid, labels -> true));
    }
    Set<String> instances = new TreeSet<>();
    for (TimeSeries series : legacyGrid) {
      if (meter != null && meter.equals(series.label("meter")) && series.label("instance") != null)
        instances.add(series.label("instance"));
    }
    Set<String> counterInstances =
        new TreeSet<>(meter == null ? Set.of() : instancesInRange.getOrDefault(meter, Set.of()));
    if (counterInstances.isEmpty()) {
      Map<String, Set<String>> known = instancesOfMeters(first);
      if (meter != null) counterInstances.addAll(known.getOrDefault(meter, Set.of()));
      if (counterInstances.isEmpty() && !known.isEmpty()) {
        // Prometheus has counters, but not this meter's: the old gauges are someone else's
        return new LegacyChoice(labels -> meterLabel(labels, meter), instances);
      }
    }
    Set<String> unlabelled = instancesOf(legacyGrid, labels -> labels.get("meter") == null);
    if (counterInstances.isEmpty()) {
      if (unlabelled.size() > 1) {
        throw new IllegalArgumentException(
            "Prometheus has the old exporter's wago_energy_*_kwh from several instances "
                + unlabelled
                + " and no counters to tell which is this meter's; choose with --legacy-match"
                + " 'instance=\"...\"'");
      }
      counterInstances.addAll(unlabelled);
    }
    instances.addAll(
        unlabelled.stream().filter(counterInstances::contains).collect(Collectors.toList()));
    return new LegacyChoice(
        labels ->
            meterLabel(labels, meter)
                || (labels.get("meter") == null
                    && counterInstances.contains(labels.getOrDefault("instance", ""))),
        instances);
  }

  private static boolean meterLabel(Map<String, String> labels, @Nullable String meter) {
    return meter != null && meter.equals(labels.get("meter"));
  }

  private static Set<String> instancesOf(
      List<TimeSeries> series, Predicate<Map<String, String>> taken) {
    Set<String> instances = new TreeSet<>();
    for (TimeSeries s : series) {
      if (taken.test(s.labels())) instances.add(s.labels().getOrDefault("instance", ""));
    }
    return instances;
  }

  /** Per meter the instances its counters were scraped from, between {@code first} and now. */
  private Map<String, Set<String>> instancesOfMeters(Instant first) throws IOException {
    Instant now = clock.instant();
    String query =
        "group by (meter, instance) (last_over_time({__name__=~\""
            + String.join("|", metricNames())
            + "\"}["
            + Math.max(GRID.toSeconds(), Duration.between(first, now).toSeconds())
            + "s]))";
    Map<String, Set<String>> instances = new HashMap<>();
    for (TimeSeries series : prometheus.queryAt(query, now)) {
      if (series.label("meter") == null) continue;
      instances
          .computeIfAbsent(series.label("meter"), m -> new TreeSet<>())
          .add(series.labels().getOrDefault("instance", ""));
    }
    return instances;
  }

  /**
   * The old exporter's gauges chosen for the meter.
   *
   * @param instances where they were scraped from, to name the meter when nothing else does
   */
  private record LegacyChoice(Predicate<Map<String, String>> takes, Set<String> instances) {
    static final LegacyChoice NONE = new LegacyChoice(labels -> false, Set.of());

    boolean isEmpty() {
      return instances.isEmpty();
    }

    /**
     * Per register the chosen gauges' values in joules; where several gauges read one register (the
     * old exporter and the exporter's {@code --legacy-metrics}), the labelled one first.
     */
    Map<EnergyRegister, NavigableMap<Instant, Double>> joules(List<TimeSeries> series) {
      Map<EnergyRegister, NavigableMap<Instant, Double>> all = new HashMap<>();
      List<TimeSeries> ordered = new ArrayList<>(series);
      ordered.sort(java.util.Comparator.comparing(s -> s.label("meter") == null));
      for (TimeSeries s : ordered) {
        EnergyRegister register = LegacyGauges.register(s.label("counter"));
        if (register == null || !takes.test(s.labels())) continue;
        NavigableMap<Instant, Double> values = all.computeIfAbsent(register, r -> new TreeMap<>());
        for (Sample sample : s.samples()) {
          if (Double.isFinite(sample.value())) {
            values.putIfAbsent(sample.time(), LegacyGauges.joules(sample.value()));
          }
        }
      }
      return all;
    }
  }

  /** {@code query} at every grid instant from {@code first} to {@code last}, in few requests. */
  static List<TimeSeries> gridRange(
      PrometheusClient prometheus, String query, Instant first, Instant last) throws IOException {
    List<TimeSeries> all = new ArrayList<>();
    Duration chunk = GRID.multipliedBy(MAX_POINTS_PER_REQUEST - 1);
    for (Instant start = first; !start.isAfter(last); start = start.plus(chunk).plus(GRID)) {
      Instant end = start.plus(chunk).isBefore(last) ? start.plus(chunk) : last;
      all.addAll(prometheus.queryRange(query, start, end, GRID));
    }
    return all;
  }

  /**
   * Raw samples fetched once per stretch (all registers in one query) and kept for the other
   * registers of the same stretch.
   */
  private abstract static class StretchCache implements RawSampleSource {
    private final Map<List<Instant>, Map<EnergyRegister, List<Sample>>> fetched = new HashMap<>();

    @Override
    public final List<Sample> samples(EnergyRegister register, Instant after, Instant upTo)
        throws IOException {
      Map<EnergyRegister, List<Sample>> stretch = fetched.get(List.of(after, upTo));
      if (stretch == null) {
        stretch = fetch(after, upTo);
        fetched.put(List.of(after, upTo), stretch);
      }
      return stretch.getOrDefault(register, List.of());
    }

    /** Every register's samples in {@code (after, upTo]}, in joules, by time. */
    abstract Map<EnergyRegister, List<Sample>> fetch(Instant after, Instant upTo)
        throws IOException;
  }

  /**
   * All registers' raw samples of one stretch in one request: a reset usually hits every register
   * of the meter at once, and they all ask for the same stretch.
   */
  private final class RawSamplesByStretch extends StretchCache {
    private final String meter;

    RawSamplesByStretch(String meter) {
      this.meter = meter;
    }

    @Override
    Map<EnergyRegister, List<Sample>> fetch(Instant after, Instant upTo) throws IOException {
      String selector =
          "{__name__=~\""
              + String.join("|", metricNames())
              + "\",meter=\""
              + escape(meter)
              + "\"}["
              + Duration.between(after, upTo).toSeconds()
              + "s]";
      Map<EnergyRegister, List<Sample>> stretch = new HashMap<>();
      for (TimeSeries series : prometheus.queryAt(selector, upTo)) {
        Map<String, String> labels = new HashMap<>(series.labels());
        labels.put("counter", labels.getOrDefault("__name__", ""));
        SeriesKey key = SeriesKey.of(new TimeSeries(labels, List.of()));
        if (key == null) continue;
        List<Sample> samples = stretch.computeIfAbsent(key.register(), k -> new ArrayList<>());
        for (Sample s : series.samples()) {
          // Prometheus 2 range selectors include their left end, Prometheus 3 ones do not
          if (s.time().isAfter(after))
            samples.add(new Sample(s.time(), reading(key.register(), s)));
        }
        samples.sort(java.util.Comparator.comparing(Sample::time));
      }
      return stretch;
    }
  }

  /** The old exporter's raw samples of one stretch, in joules; asked only around a drop. */
  private final class LegacyRawSamples extends StretchCache {
    private final ReportRequest request;
    private final LegacyChoice choice;

    LegacyRawSamples(ReportRequest request, LegacyChoice choice) {
      this.request = request;
      this.choice = choice;
    }

    @Override
    Map<EnergyRegister, List<Sample>> fetch(Instant after, Instant upTo) throws IOException {
      String matchers =
          "__name__=~\""
              + String.join("|", LegacyGauges.names())
              + "\""
              + request.legacyMatch().map(m -> "," + m).orElse("");
      String selector = "{" + matchers + "}[" + Duration.between(after, upTo).toSeconds() + "s]";
      List<TimeSeries> series = new ArrayList<>();
      for (TimeSeries s : prometheus.queryAt(selector, upTo)) {
        Map<String, String> labels = new HashMap<>(s.labels());
        labels.put("counter", labels.getOrDefault("__name__", ""));
        List<Sample> samples = new ArrayList<>();
        // Prometheus 2 range selectors include their left end, Prometheus 3 ones do not
        for (Sample sample : s.samples()) if (sample.time().isAfter(after)) samples.add(sample);
        series.add(new TimeSeries(labels, samples));
      }
      Map<EnergyRegister, List<Sample>> stretch = new HashMap<>();
      choice
          .joules(series)
          .forEach(
              (register, values) -> {
                List<Sample> samples = new ArrayList<>();
                values.forEach((t, v) -> samples.add(new Sample(t, v)));
                stretch.put(register, samples);
              });
      return stretch;
    }
  }

  /**
   * A register's value; Prometheus can hold {@code +Inf} or {@code NaN}, a meter never counts so.
   */
  private double reading(EnergyRegister register, Sample sample) throws PrometheusQueryException {
    if (Double.isFinite(sample.value())) return sample.value();
    throw new PrometheusQueryException(
        "Prometheus at "
            + prometheus.base()
            + " holds "
            + (Double.isNaN(sample.value()) ? "NaN" : sample.value() > 0 ? "+Inf" : "-Inf")
            + " for "
            + register.metric()
            + (register.isTotal() ? "" : "{phase=" + register.phase() + "}")
            + " at "
            + sample.time()
            + ", which no meter register reads; delete that sample (admin API) or report around it");
  }

  private static List<String> metricNames() {
    List<String> names = new ArrayList<>();
    for (EnergyDirection direction : EnergyDirection.values()) {
      names.add(direction.phaseMetric());
      names.add(direction.systemMetric());
    }
    return names;
  }

  private static String escape(String labelValue) {
    return labelValue.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Which meter and register a grid series belongs to. */
  private record SeriesKey(String meter, EnergyRegister register) {
    static @Nullable SeriesKey of(TimeSeries series) {
      String counter = series.label("counter");
      String meter = series.label("meter");
      if (counter == null || meter == null) return null;
      for (EnergyDirection direction : EnergyDirection.values()) {
        if (counter.equals(direction.systemMetric())) {
          return new SeriesKey(meter, new EnergyRegister(direction, EnergyRegister.TOTAL));
        }
        String phase = series.label("phase");
        if (counter.equals(direction.phaseMetric()) && phase != null) {
          return new SeriesKey(meter, new EnergyRegister(direction, phase));
        }
      }
      return null;
    }
  }
}
