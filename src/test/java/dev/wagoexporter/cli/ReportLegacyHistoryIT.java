package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} over a site's history from before the switch, against a real Prometheus: the old
 * exporter's kWh gauges (no {@code meter} label, job {@code modbus}) on 1 and 2 June 2026, both
 * them and the exporter's counters on 3 June (the switch at noon, half an hour of overlap), the
 * counters alone on 4 June. On 1 June the old exporter held its values for four hours (reads
 * failing) and showed 0 for an hour (restarted, not read yet); on 2 June the meter was replaced.
 * Another old exporter ({@code garage:9100}) counts a kWh a second and must be left out. The meter
 * draws constant power, so every day's energy is power × time, stated here.
 */
class ReportLegacyHistoryIT {
  private static final Duration INTERVAL = Duration.ofMinutes(15);
  // 0x6000 and 0x6006..0x600A: total, L1, L2, L3
  private static final Map<String, Long> WATTS = new LinkedHashMap<>();

  static {
    WATTS.put("total", 1000L);
    WATTS.put("L1", 600L);
    WATTS.put("L2", 300L);
    WATTS.put("L3", 100L);
  }

  private static final BigDecimal OLD_BASE_KWH = new BigDecimal("12345.5");
  private static final BigDecimal NEW_BASE_KWH = new BigDecimal("100");
  private static final Instant ORIGIN = at("2026-05-31T23:59:47");
  private static final Instant HELD_FROM = at("2026-06-01T06:00:00");
  private static final Instant HELD_TO = at("2026-06-01T10:00:00");
  private static final Instant ZERO_FROM = at("2026-06-01T12:00:00");
  private static final Instant ZERO_TO = at("2026-06-01T13:00:00");
  private static final Instant REPLACED = at("2026-06-02T14:59:47");
  private static final Instant COUNTERS_FROM = at("2026-06-03T11:59:47");
  private static final Instant LEGACY_UNTIL = at("2026-06-03T12:29:47");
  private static final Instant END = at("2026-06-05T00:14:47");

  @TempDir static Path work;
  private static PrometheusProcess prometheus;

  private static Instant at(String utc) {
    return Instant.parse(utc + "Z");
  }

  /** The register as the meter counts it, in kWh. */
  private static BigDecimal registerKwh(long watts, Instant t) {
    boolean replaced = !t.isBefore(REPLACED);
    Instant since = replaced ? REPLACED : ORIGIN;
    return (replaced ? NEW_BASE_KWH : OLD_BASE_KWH)
        .add(
            BigDecimal.valueOf(watts * Duration.between(since, t).toSeconds())
                .divide(BigDecimal.valueOf(3_600_000)));
  }

  /** What the old exporter showed at {@code t}: held during the failed reads, 0 after a restart. */
  private static BigDecimal legacyKwh(long watts, Instant t) {
    if (t.isAfter(ZERO_FROM) && t.isBefore(ZERO_TO)) return BigDecimal.ZERO;
    if (t.isAfter(HELD_FROM) && t.isBefore(HELD_TO)) {
      return registerKwh(watts, HELD_FROM.minusSeconds(13));
    }
    return registerKwh(watts, t);
  }

  @BeforeAll
  static void startPrometheusWithTheSitesHistory() throws Exception {
    StringBuilder out = new StringBuilder();
    for (String register : WATTS.keySet()) {
      String name =
          register.equals("total") ? "wago_energy_total_kwh" : "wago_energy_" + register + "_kwh";
      out.append("# TYPE ").append(name).append(" gauge\n");
      for (Instant t = ORIGIN; !t.isAfter(LEGACY_UNTIL); t = t.plus(INTERVAL)) {
        out.append(name)
            .append("{instance=\"modbus_exporter:9100\",job=\"modbus\"} ")
            .append(legacyKwh(WATTS.get(register), t).toPlainString())
            .append(' ')
            .append(t.getEpochSecond())
            .append('\n');
        // another site's old exporter in the same Prometheus: not this meter's instance
        out.append(name)
            .append("{instance=\"garage:9100\",job=\"modbus\"} ")
            .append(Duration.between(ORIGIN, t).toSeconds())
            .append(' ')
            .append(t.getEpochSecond())
            .append('\n');
      }
    }
    // the exporter's combined counters continue the same registers; import = combined (no feed-in)
    for (String direction : List.of("combined", "import")) {
      for (String register : WATTS.keySet()) {
        String family =
            register.equals("total")
                ? "wago_system_active_energy_" + direction + "_joules"
                : "wago_active_energy_" + direction + "_joules";
        if (!register.equals("L2") && !register.equals("L3")) {
          out.append("# TYPE ").append(family).append(" counter\n");
        }
        String labels =
            "{meter=\"main\",instance=\"modbus_exporter:9100\",job=\"wago\""
                + (register.equals("total") ? "" : ",phase=\"" + register + "\"")
                + "}";
        for (Instant t = COUNTERS_FROM; !t.isAfter(END); t = t.plus(INTERVAL)) {
          out.append(family)
              .append("_total")
              .append(labels)
              .append(' ')
              .append(
                  registerKwh(WATTS.get(register), t)
                      .multiply(BigDecimal.valueOf(3_600_000))
                      .toPlainString())
              .append(' ')
              .append(t.getEpochSecond())
              .append('\n');
        }
      }
    }
    // the outdoor temperature on 1 June: 4 and 8 °C in turn (mean 6, min 4, max 8)
    out.append("# TYPE sensor_temperature_celsius gauge\n");
    int i = 0;
    for (Instant t = at("2026-06-01T00:14:47");
        t.isBefore(at("2026-06-02T00:00:00"));
        t = t.plus(INTERVAL), i++) {
      out.append("sensor_temperature_celsius{job=\"iot-api\",sensor_name=\"temp_outdoor\"} ")
          .append(i % 2 == 0 ? "4" : "8")
          .append(' ')
          .append(t.getEpochSecond())
          .append('\n');
    }
    out.append("# EOF\n");
    Path data = work.resolve("data");
    PrometheusProcess.backfill(List.of(out.toString()), data, work);
    prometheus = PrometheusProcess.startOnHistory(data, work, false);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) prometheus.close();
  }

  /** Power × time, less the quarter hour lost between the old meter's last sample and the new's. */
  private static String expectedKwh(String register, long seconds) {
    return BigDecimal.valueOf(WATTS.get(register) * seconds)
        .divide(BigDecimal.valueOf(3_600_000), 3, RoundingMode.HALF_UP)
        .toPlainString();
  }

  private static final long DAY = 24 * 3600;

  private static String column(String register) {
    return "combined_" + register.toLowerCase(java.util.Locale.ROOT) + "_kwh";
  }

  private static Map<String, Map<String, String>> csvByDay(String text) {
    String[] lines = text.strip().split("\n", -1);
    String[] header = lines[0].split(",", -1);
    Map<String, Map<String, String>> days = new HashMap<>();
    for (String line : Arrays.copyOfRange(lines, 1, lines.length)) {
      String[] cells = line.split(",", header.length);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) row.put(header[c], cells[c]);
      days.put(row.get("period"), row);
    }
    return days;
  }

  private static ReportRun report(String... more) {
    String[] args = {
      "--prometheus",
      prometheus.uri().toString(),
      "--tz",
      "UTC",
      "--from",
      "2026-06-01",
      "--to",
      "2026-06-04"
    };
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return ReportRun.of(all);
  }

  @Test
  void everyDayHasItsExactCombinedEnergyFromTheSourceItHad() {
    ReportRun run = report("--format", "csv");
    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, Map<String, String>> days = csvByDay(run.out());
    assertThat(days.get("2026-06-01").get("source")).isEqualTo("legacy");
    assertThat(days.get("2026-06-02").get("source")).isEqualTo("legacy");
    assertThat(days.get("2026-06-03").get("source")).isEqualTo("stitched");
    assertThat(days.get("2026-06-04").get("source")).isEqualTo("counters");
    for (String register : WATTS.keySet()) {
      // held values and the restart's zeros invent nothing: the day is power × 24 h
      assertThat(days.get("2026-06-01").get(column(register)))
          .as("1 June " + register)
          .isEqualTo(expectedKwh(register, DAY));
      // the replacement: a reset, the new meter's reading is not consumption
      assertThat(days.get("2026-06-02").get(column(register)))
          .as("2 June " + register)
          .isEqualTo(expectedKwh(register, DAY - INTERVAL.toSeconds()));
      // the switch day: legacy reading at its start, counter reading at its end, the overlap once
      assertThat(days.get("2026-06-03").get(column(register)))
          .as("3 June " + register)
          .isEqualTo(expectedKwh(register, DAY));
      assertThat(days.get("2026-06-04").get(column(register)))
          .as("4 June " + register)
          .isEqualTo(expectedKwh(register, DAY));
    }
    assertThat(days.get("2026-06-01").get("resets")).isEqualTo("0");
    assertThat(days.get("2026-06-02").get("resets")).isEqualTo("1");
    assertThat(days.get("2026-06-03").get("resets")).isEqualTo("0");
    // the old exporter never read the import register: those days are missing, never 0
    assertThat(days.get("2026-06-01").get("import_total_kwh")).isEmpty();
    assertThat(days.get("2026-06-03").get("import_total_kwh")).isEmpty();
    assertThat(days.get("2026-06-04").get("import_total_kwh")).isEqualTo(expectedKwh("total", DAY));
  }

  @Test
  void tableAndJsonSayTheSourceAndAnOutdoorColumnWorksOnALegacyDay() throws Exception {
    String outdoor = "outdoor=sensor_temperature_celsius{sensor_name=\"temp_outdoor\"}";
    ReportRun table = report("--average", outdoor);
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern("(?m)^period +hours +source ")
        .containsPattern("(?m)^2026-06-01 +24 +legacy ")
        .containsPattern("(?m)^2026-06-03 +24 +stitched ")
        .containsPattern("(?m)^total +96 +stitched ")
        .contains("note: source: legacy = the old exporter's");

    ReportRun json = report("--average", outdoor, "--format", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode root =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(json.out());
    JsonNode first = root.path("periods").get(0);
    assertThat(first.path("source").asText()).isEqualTo("legacy");
    assertThat(first.path("combined").path("total").decimalValue())
        .isEqualByComparingTo(expectedKwh("total", DAY));
    assertThat(first.path("averages").path("outdoor").path("avg").decimalValue())
        .isEqualByComparingTo("6");
    assertThat(first.path("averages").path("outdoor").path("min").decimalValue())
        .isEqualByComparingTo("4");
    assertThat(first.path("averages").path("outdoor").path("max").decimalValue())
        .isEqualByComparingTo("8");
    // 15 °C base − 6 °C mean = 9 degree days
    assertThat(first.path("heating_degree_days").decimalValue()).isEqualByComparingTo("9");
    assertThat(first.path("combined_kwh_per_degree_day").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal(expectedKwh("total", DAY))
                .divide(BigDecimal.valueOf(9), 3, RoundingMode.HALF_UP));
    assertThat(first.path("import_kwh_per_degree_day").isNull()).isTrue();
    assertThat(root.path("periods").get(3).path("source").asText()).isEqualTo("counters");
    assertThat(root.path("total").path("source").asText()).isEqualTo("stitched");
  }

  @Test
  void legacyMatchChoosesTheOldSeriesByLabel() {
    ReportRun run = report("--format", "csv", "--legacy-match", "instance=\"garage:9100\"");
    assertThat(run.exit()).as(run.err()).isZero();
    // a kWh a second: 86,400 kWh on a legacy day
    assertThat(csvByDay(run.out()).get("2026-06-02").get("combined_total_kwh"))
        .isEqualTo("86400.000");
  }

  @Test
  void aMatchThatSelectsNoOldSeriesLeavesTheLegacyDaysMissing() {
    ReportRun run = report("--format", "csv", "--legacy-match", "job=\"elsewhere\"");
    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, Map<String, String>> days = csvByDay(run.out());
    assertThat(days.get("2026-06-01").get("combined_total_kwh")).isEmpty();
    assertThat(days.get("2026-06-01").get("source")).isEqualTo("none");
    assertThat(days.get("2026-06-04").get("combined_total_kwh"))
        .isEqualTo(expectedKwh("total", DAY));
  }
}
