package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.report.EnergyReport;
import dev.wagoexporter.report.EnergyReportReader;
import dev.wagoexporter.report.MeterHistory;
import dev.wagoexporter.report.PeriodUnit;
import dev.wagoexporter.report.PrometheusClient;
import dev.wagoexporter.report.ReportRequest;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} against a real Prometheus holding a known history: a meter drawing constant power,
 * across both 2026 DST changes in Vienna, replaced mid-day on 24 October, with a gap inside 23
 * October and one across midnight 26/27 October.
 */
class ReportCommandPrometheusIT {
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");
  private static final List<MeterHistory.Phase> PHASES =
      List.of(
          new MeterHistory.Phase("L1", 1000, 200),
          new MeterHistory.Phase("L2", 500, 0),
          new MeterHistory.Phase("L3", 250, 100));
  // samples 13 s before each quarter hour, like a scrape that is not aligned to the clock; a
  // coarse interval keeps promtool fast (it re-reads the whole file for every 2-hour block)
  private static final Duration SAMPLE_INTERVAL = Duration.ofMinutes(15);
  private static final Instant REPLACED = local("2026-10-24T12:14:47");

  @TempDir static Path work;
  private static PrometheusProcess prometheus;

  @BeforeAll
  static void startPrometheusWithKnownHistory() throws Exception {
    MeterHistory history =
        new MeterHistory("main", PHASES, SAMPLE_INTERVAL)
            .stretch(local("2026-03-27T21:59:47"), local("2026-03-31T02:00"))
            // October only where a test looks: promtool writes one 2-hour block at a time, slowly;
            // the days between are a gap that a register difference over the month spans exactly
            .stretch(local("2026-09-30T21:59:47"), local("2026-10-01T02:00"))
            .stretch(local("2026-10-21T21:59:47"), local("2026-10-29T02:00"))
            .stretch(local("2026-10-31T21:59:47"), local("2026-11-01T02:00"))
            .replacedAt(REPLACED)
            .gap(local("2026-10-23T02:00"), local("2026-10-23T06:00"))
            // last sample before midnight at 23:29:47: beyond the 15-minute lookback
            .gap(local("2026-10-26T23:30"), local("2026-10-27T00:30"));
    Path data = work.resolve("data");
    List<String> texts = new java.util.ArrayList<>(history.openMetricsPerStretch());
    // the October stretch also holds temperatures, as the user's Prometheus does
    texts.set(2, texts.get(2).replace("# EOF\n", temperatures() + "# EOF\n"));
    PrometheusProcess.backfill(texts, data, work);
    prometheus = PrometheusProcess.startOnHistory(data, work, false);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) prometheus.close();
  }

  /**
   * Outdoor temperature every 15 minutes of 22 and 23 October: a constant 5 °C on the 22nd, 0 and
   * 10 °C in turn on the 23rd (mean 5, min 0, max 10); indoors a constant 21 °C, which a selector
   * for the outdoor sensor must leave out.
   */
  private static String temperatures() {
    StringBuilder out = new StringBuilder("# TYPE sensor_temperature_celsius gauge\n");
    for (String sensor : List.of("temp_outdoor", "temp_indoor")) {
      int i = 0;
      for (Instant t = local("2026-10-22T00:14:47");
          t.isBefore(local("2026-10-24T00:00"));
          t = t.plus(SAMPLE_INTERVAL), i++) {
        boolean first = t.isBefore(local("2026-10-23T00:00"));
        String value = sensor.equals("temp_indoor") ? "21" : first ? "5" : i % 2 == 0 ? "0" : "10";
        out.append("sensor_temperature_celsius{sensor_name=\"")
            .append(sensor)
            .append("\"} ")
            .append(value)
            .append(' ')
            .append(t.getEpochSecond())
            .append('\n');
      }
    }
    return out.toString();
  }

  private static Instant local(String dateTime) {
    return LocalDateTime.parse(dateTime).atZone(VIENNA).toInstant();
  }

  /**
   * What the meter counted: power times the period's length, less the stretch lost at the
   * replacement.
   */
  private static String expectedKwh(long watts, double hours, boolean replacedInside) {
    double seconds = hours * 3600 - (replacedInside ? SAMPLE_INTERVAL.toSeconds() : 0);
    return BigDecimal.valueOf(watts * seconds / 3.6e6)
        .setScale(3, RoundingMode.HALF_UP)
        .toPlainString();
  }

  private static long watts(String direction, String phase) {
    return PHASES.stream()
        .filter(p -> phase.equals("total") || p.name().equals(phase))
        .mapToLong(p -> direction.equals("import") ? p.importWatts() : p.exportWatts())
        .sum();
  }

  private static List<Map<String, String>> csv(String text) {
    String[] lines = text.split("\n");
    String[] header = lines[0].split(",", -1);
    return Arrays.stream(lines)
        .skip(1)
        .map(
            line -> {
              // the only quoted cell is the last one (missing), so split the rest
              String[] cells = line.split(",", header.length);
              Map<String, String> row = new LinkedHashMap<>();
              for (int i = 0; i < header.length; i++) row.put(header[i], cells[i]);
              return row;
            })
        .toList();
  }

  @Test
  void dailyCsvHasTheExactEnergyOfEveryDayIncluding23And25HourDaysAndTheReplacement() {
    ReportRun spring =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--from",
            "2026-03-28",
            "--to",
            "2026-03-30",
            "--tz",
            "Europe/Vienna",
            "--format",
            "csv");
    ReportRun autumn =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--meter",
            "main",
            "--from",
            "2026-10-22",
            "--to",
            "2026-10-28",
            "--tz",
            "Europe/Vienna",
            "--format",
            "csv");
    assertThat(spring.exit()).as(spring.err()).isZero();
    assertThat(autumn.exit()).as(autumn.err()).isZero();
    Map<String, Map<String, String>> days = new HashMap<>();
    for (Map<String, String> row : csv(spring.out())) days.put(row.get("period"), row);
    for (Map<String, String> row : csv(autumn.out())) days.put(row.get("period"), row);

    assertThat(days.get("2026-03-29").get("hours")).isEqualTo("23");
    assertThat(days.get("2026-10-25").get("hours")).isEqualTo("25");
    assertThat(days.get("2026-10-24").get("resets")).isEqualTo("1");

    List<String> complete =
        List.of(
            "2026-03-28",
            "2026-03-29",
            "2026-03-30",
            "2026-10-22",
            "2026-10-23",
            "2026-10-24",
            "2026-10-25",
            "2026-10-28");
    for (String day : complete) {
      Map<String, String> row = days.get(day);
      double hours = Double.parseDouble(row.get("hours"));
      boolean replaced = day.equals("2026-10-24");
      assertThat(row.get("complete")).as(day).isEqualTo("true");
      for (String direction : List.of("import", "export")) {
        for (String phase : List.of("l1", "l2", "l3", "total")) {
          String column = direction + "_" + phase + "_kwh";
          long w =
              watts(direction, phase.equals("total") ? "total" : phase.toUpperCase(Locale.ROOT));
          assertThat(row.get(column))
              .as(day + " " + column)
              .isEqualTo(expectedKwh(w, hours, replaced));
        }
      }
    }
    // the gap across midnight 26/27 October: both days unknown, never 0
    for (String day : List.of("2026-10-26", "2026-10-27")) {
      Map<String, String> row = days.get(day);
      assertThat(row.get("complete")).as(day).isEqualTo("false");
      assertThat(row.get("import_l1_kwh")).as(day).isEmpty();
      assertThat(row.get("import_total_kwh")).as(day).isEmpty();
    }
    assertThat(days.get("2026-10-26").get("missing"))
        .contains("no reading at end 2026-10-27T00:00+01:00");
    assertThat(days.get("2026-10-27").get("missing"))
        .contains("no reading at start 2026-10-27T00:00+01:00");
  }

  @Test
  void monthlyJsonHasTheCalendarMonthWithCostAndMarksTheUnfinishedOne() throws Exception {
    ReportRun result =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
            "--period",
            "month",
            "--tz",
            "Europe/Vienna",
            "--format",
            "json",
            "--price",
            "0.32");
    assertThat(result.exit()).as(result.err()).isZero();
    // exact decimals as printed, not doubles: "0.000" must stay "0.000"
    JsonNode root =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(result.out());
    assertThat(root.path("meter").asText()).isEqualTo("main");
    JsonNode october = root.path("periods").get(0);
    JsonNode november = root.path("periods").get(1);
    assertThat(october.path("period").asText()).isEqualTo("2026-10");
    double hours = 31 * 24 + 1;
    assertThat(october.path("hours").asDouble()).isEqualTo(hours);
    assertThat(october.path("complete").asBoolean()).isTrue();
    assertThat(october.path("resets").asInt()).isEqualTo(1);
    for (String direction : List.of("import", "export")) {
      for (String phase : List.of("L1", "L2", "L3", "total")) {
        assertThat(october.path(direction).path(phase).decimalValue())
            .as(direction + " " + phase)
            .isEqualByComparingTo(expectedKwh(watts(direction, phase), hours, true));
      }
    }
    double importKwh =
        watts("import", "total") * (hours * 3600 - SAMPLE_INTERVAL.toSeconds()) / 3.6e6;
    assertThat(october.path("cost").decimalValue())
        .isEqualByComparingTo(
            BigDecimal.valueOf(importKwh * 0.32).setScale(2, RoundingMode.HALF_UP));

    assertThat(november.path("complete").asBoolean()).isFalse();
    assertThat(november.path("import").path("L1").isNull()).isTrue();
    assertThat(november.path("cost").isNull()).isTrue();
    assertThat(november.path("missing").asText())
        .contains("no reading at end 2026-12-01T00:00+01:00");
  }

  @Test
  void aMonthOfDaysWithAResetTakesTwoRequests() throws Exception {
    PrometheusClient client = new PrometheusClient(prometheus.uri(), Duration.ofSeconds(30));
    EnergyReport report =
        new EnergyReportReader(client, ReportRun.CLOCK)
            .read(
                new ReportRequest(
                    Optional.of("main"),
                    LocalDate.parse("2026-10-01"),
                    LocalDate.parse("2026-10-31"),
                    PeriodUnit.DAY,
                    VIENNA,
                    OptionalDouble.empty()));
    assertThat(report.rows()).hasSize(31);
    // one query_range for every boundary, one raw read around the meter replacement
    assertThat(client.requestCount()).isEqualTo(2);
  }

  @Test
  void tableMarksMissingDaysAndTheReset() {
    ReportRun result =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--from",
            "2026-10-24",
            "--to",
            "2026-10-27",
            "--tz",
            "Europe/Vienna");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("(?m)^2026-10-26 +24 +missing")
        .contains("note: 2026-10-27: incomplete, no reading at start 2026-10-27T00:00+01:00")
        .contains("note: 2026-10-24: counter reset 1x");
  }

  @Test
  void unknownMeterIsAClearError() {
    ReportRun result =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--meter",
            "garage",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-02",
            "--tz",
            "Europe/Vienna");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("no wago energy counters for meter \"garage\"")
        .contains("the meters it has are main: choose one with --meter NAME");
  }

  @Test
  void todaySoFarIsPartialAndEndsAtItsLastReading() throws Exception {
    Clock afternoon = Clock.fixed(local("2026-10-28T14:07:30"), VIENNA);
    String[] args = {
      "--prometheus",
      prometheus.uri().toString(),
      "--from",
      "2026-10-28",
      "--to",
      "2026-10-28",
      "--tz",
      "Europe/Vienna"
    };
    ReportRun json = ReportRun.at(afternoon, concat(args, "--format", "json"));
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode today = new ObjectMapper().readTree(json.out()).path("periods").get(0);
    assertThat(today.path("partial").asBoolean()).isTrue();
    assertThat(today.path("complete").asBoolean()).isTrue();
    assertThat(today.path("end").asText()).isEqualTo("2026-10-28T14:00+01:00");
    assertThat(today.path("hours").asDouble()).isEqualTo(14);
    assertThat(today.path("import").path("total").decimalValue())
        .isEqualByComparingTo(new BigDecimal(expectedKwh(watts("import", "total"), 14, false)));

    ReportRun table = ReportRun.at(afternoon, args);
    assertThat(table.out())
        .containsPattern("(?m)^2026-10-28 so far +14 ")
        .contains(
            "note: 2026-10-28: not over yet, energy so far, up to the reading of"
                + " 2026-10-28T14:00+01:00")
        .doesNotContain("missing");
  }

  @Test
  void theTableEndsWithATotalRow() {
    ReportRun result =
        ReportRun.of(
            "--prometheus",
            prometheus.uri().toString(),
            "--from",
            "2026-10-22",
            "--to",
            "2026-10-23",
            "--tz",
            "Europe/Vienna");
    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    String[] total = lines.get(lines.size() - 1).trim().split(" +", -1);
    assertThat(total[0]).isEqualTo("total");
    assertThat(total[1]).isEqualTo("48");
    // columns: period, hours, import L1 L2 L3 total, export L1 L2 L3 total
    assertThat(total[5]).isEqualTo(expectedKwh(watts("import", "total"), 48, false));
    assertThat(total[9]).isEqualTo(expectedKwh(watts("export", "total"), 48, false));
    assertThat(lines.get(lines.size() - 2)).matches("-+");
  }

  @Test
  void onTheFirstDayTodayRunsFromTheFirstReading() throws Exception {
    // the history begins at 2026-03-27T21:59:47, as if the exporter had been started then
    Clock evening = Clock.fixed(local("2026-03-27T23:37:00"), VIENNA);
    ReportRun json = inVienna(evening, "--today", "--format", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(json.out());
    JsonNode today = root.path("periods").get(0);
    assertThat(root.path("periods")).hasSize(1);
    assertThat(today.path("period").asText()).isEqualTo("2026-03-27");
    assertThat(today.path("partial").asBoolean()).isTrue();
    assertThat(today.path("complete").asBoolean()).isTrue();
    assertThat(today.path("start").asText()).isEqualTo("2026-03-27T22:00+01:00");
    assertThat(today.path("end").asText()).isEqualTo("2026-03-27T23:30+01:00");
    assertThat(today.path("hours").asDouble()).isEqualTo(1.5);
    assertThat(today.path("import").path("L1").decimalValue())
        .isEqualByComparingTo(new BigDecimal(expectedKwh(watts("import", "L1"), 1.5, false)));

    ReportRun table = inVienna(evening, "--today");
    assertThat(table.out())
        .contains(
            "note: 2026-03-27: not over yet, energy so far, from the first reading, of"
                + " 2026-03-27T22:00+01:00, up to the reading of 2026-03-27T23:30+01:00")
        .doesNotContain("missing");
  }

  @Test
  void thisMonthOnItsFirstDaysIsOneRowFromTheFirstReading() throws Exception {
    Clock morning = Clock.fixed(local("2026-03-28T10:05:00"), VIENNA);
    ReportRun csv = inVienna(morning, "--this-month", "--format", "csv");
    assertThat(csv.exit()).as(csv.err()).isZero();
    List<Map<String, String>> rows = csv(csv.out());
    assertThat(rows).hasSize(1);
    Map<String, String> month = rows.get(0);
    assertThat(month.get("period")).isEqualTo("2026-03");
    assertThat(month.get("partial")).isEqualTo("true");
    assertThat(month.get("start")).isEqualTo("2026-03-27T22:00+01:00");
    assertThat(month.get("end")).isEqualTo("2026-03-28T10:00+01:00");
    assertThat(month.get("hours")).isEqualTo("12");
    assertThat(month.get("import_total_kwh"))
        .isEqualTo(expectedKwh(watts("import", "total"), 12, false));
  }

  @Test
  void futureDaysAreNeitherListedNorCountedInTheTotal() throws Exception {
    Clock afternoon = Clock.fixed(local("2026-10-28T14:07:30"), VIENNA);
    ReportRun json =
        inVienna(afternoon, "--from", "2026-10-28", "--to", "2026-10-31", "--format", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertThat(root.path("periods")).hasSize(1);
    assertThat(root.path("total").path("hours").asDouble()).isEqualTo(14);
    assertThat(root.path("total").path("complete").asBoolean()).isTrue();
  }

  @Test
  void yesterdayAndLastMonthAreWholePeriods() throws Exception {
    ReportRun yesterday =
        inVienna(
            Clock.fixed(local("2026-10-29T01:00:00"), VIENNA), "--yesterday", "--format", "csv");
    assertThat(yesterday.exit()).as(yesterday.err()).isZero();
    Map<String, String> day = csv(yesterday.out()).get(0);
    assertThat(day.get("period")).isEqualTo("2026-10-28");
    assertThat(day.get("partial")).isEqualTo("false");
    assertThat(day.get("import_total_kwh"))
        .isEqualTo(expectedKwh(watts("import", "total"), 24, false));

    ReportRun lastMonth =
        inVienna(
            Clock.fixed(local("2026-11-01T01:00:00"), VIENNA), "--last-month", "--format", "csv");
    assertThat(lastMonth.exit()).as(lastMonth.err()).isZero();
    List<Map<String, String>> rows = csv(lastMonth.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("period")).isEqualTo("2026-10");
    assertThat(rows.get(0).get("hours")).isEqualTo("745");
    assertThat(rows.get(0).get("import_total_kwh"))
        .isEqualTo(expectedKwh(watts("import", "total"), 745, true));
  }

  @Test
  void anOutdoorTemperatureColumnWithHeatingDegreeDaysInEveryFormat() throws Exception {
    String[] args = {
      "--prometheus",
      prometheus.uri().toString(),
      "--from",
      "2026-10-22",
      "--to",
      "2026-10-23",
      "--tz",
      "Europe/Vienna",
      "--average",
      "outdoor=sensor_temperature_celsius{sensor_name=\"temp_outdoor\"}"
    };
    String perDay = expectedKwh(watts("import", "total"), 24, false);
    String perDegreeDay =
        new BigDecimal(perDay).divide(BigDecimal.TEN, 3, RoundingMode.HALF_UP).toPlainString();

    ReportRun csv = ReportRun.of(concat(args, "--format", "csv"));
    assertThat(csv.exit()).as(csv.err()).isZero();
    List<Map<String, String>> rows = csv(csv.out());
    assertThat(rows.get(0))
        .containsEntry("outdoor_avg", "5.00")
        .containsEntry("outdoor_min", "5.00")
        .containsEntry("outdoor_max", "5.00")
        .containsEntry("heating_degree_days", "10.00")
        .containsEntry("import_kwh_per_degree_day", perDegreeDay);
    assertThat(rows.get(1))
        .containsEntry("outdoor_avg", "5.00")
        .containsEntry("outdoor_min", "0.00")
        .containsEntry("outdoor_max", "10.00")
        .containsEntry("heating_degree_days", "10.00");

    ReportRun json = ReportRun.of(concat(args, "--format", "json", "--base-temperature", "17"));
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode root =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(json.out());
    assertThat(root.path("base_temperature_celsius").asDouble()).isEqualTo(17);
    JsonNode second = root.path("periods").get(1);
    assertThat(second.path("averages").path("outdoor").path("max").decimalValue())
        .isEqualByComparingTo("10");
    assertThat(second.path("averages").path("outdoor").path("samples").asInt()).isEqualTo(96);
    assertThat(second.path("heating_degree_days").decimalValue()).isEqualByComparingTo("12");
    assertThat(root.path("total").path("heating_degree_days").decimalValue())
        .isEqualByComparingTo("24");
    assertThat(root.path("total").path("import_kwh_per_degree_day").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal(perDay).divide(BigDecimal.valueOf(12), 3, RoundingMode.HALF_UP));

    ReportRun table = ReportRun.of(args);
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("outdoor avg")
        .contains("degree days")
        .containsPattern(
            "(?m)^2026-10-23 .* 5\\.00 +0\\.00 +10\\.00 +10\\.00 +" + perDegreeDay + "$")
        .contains("note: heating degree days: per day, the base temperature minus");
  }

  /** A run at {@code clock} against the test's Prometheus, with Vienna's calendar. */
  private static ReportRun inVienna(Clock clock, String... args) {
    return ReportRun.at(
        clock,
        concat(
            new String[] {"--prometheus", prometheus.uri().toString(), "--tz", "Europe/Vienna"},
            args));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
