package dev.wagoexporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogLineLayoutTest {
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  private static LoggingEvent event(String logger, Level level, String message) {
    LoggerContext context = new LoggerContext();
    LoggingEvent e = new LoggingEvent();
    e.setLoggerName(logger);
    e.setLevel(level);
    e.setMessage(message);
    e.setTimeStamp(1_764_600_000_123L);
    e.setLoggerContext(context);
    e.setMDCPropertyMap(Map.of("meter", "main"));
    e.setKeyValuePairs(List.of(new KeyValuePair("unit", 2)));
    return e;
  }

  /** A logfmt reader: key=value or key="quoted \"value\"", separated by spaces. */
  static Map<String, String> parseLogfmt(String line) {
    Matcher m =
        Pattern.compile("([a-z_]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^ \"]*)( |$)").matcher(line);
    Map<String, String> fields = new LinkedHashMap<>();
    int at = 0;
    while (at < line.length() && m.find(at) && m.start() == at) {
      String value =
          m.group(3) != null
              ? m.group(3).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\")
              : m.group(2);
      fields.put(m.group(1), value);
      at = m.end();
    }
    assertThat(at).as("whole line parsed: " + line).isEqualTo(line.length());
    return fields;
  }

  @Test
  void logfmtLineHasTimestampLevelComponentMeterAndQuotedMessage() {
    String line =
        new LogLineLayout(LogFormat.LOGFMT)
            .doLayout(
                event(
                    "dev.wagoexporter.poll.MeterPoller",
                    Level.WARN,
                    "poll failed: \"no reply\" at unit=2"))
            .stripTrailing();
    Map<String, String> f = parseLogfmt(line);
    assertThat(f.get("ts")).matches(TIMESTAMP).isEqualTo("2025-12-01T14:40:00.123Z");
    assertThat(f)
        .containsEntry("level", "warn")
        .containsEntry("component", "poll")
        .containsEntry("meter", "main")
        .containsEntry("unit", "2")
        .containsEntry("msg", "poll failed: \"no reply\" at unit=2");
    assertThat(List.copyOf(f.keySet())).startsWith("ts", "level", "component").endsWith("msg");
  }

  @Test
  void jsonLineIsOneObjectWithTheSameFields() throws Exception {
    String line =
        new LogLineLayout(LogFormat.JSON)
            .doLayout(event("dev.wagoexporter.cli.Main", Level.INFO, "line one\nline \"two\""));
    assertThat(line).endsWith("}\n").doesNotContain("\n{");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("ts").asText()).matches(TIMESTAMP);
    assertThat(json.get("level").asText()).isEqualTo("info");
    assertThat(json.get("component").asText()).isEqualTo("exporter");
    assertThat(json.get("meter").asText()).isEqualTo("main");
    assertThat(json.get("msg").asText()).isEqualTo("line one\nline \"two\"");
  }

  @Test
  void componentsAreShortNames() {
    assertThat(LogLineLayout.component("dev.wagoexporter.modbus.BusConnection"))
        .isEqualTo("modbus");
    assertThat(LogLineLayout.component("dev.wagoexporter.http.ProbeHandler")).isEqualTo("http");
    assertThat(LogLineLayout.component("io.netty.channel.DefaultChannelPipeline"))
        .isEqualTo("netty");
    assertThat(LogLineLayout.component("com.digitalpetri.modbus.server.X"))
        .isEqualTo("digitalpetri");
  }

  @Test
  void levelsAndFormatsParseAsTheFlagsSpellThem() {
    assertThat(LogLevel.parse("warn")).isEqualTo(LogLevel.WARN);
    assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogLevel.parse("trace"))
        .hasMessage("unknown log level 'trace' (use debug, info, warn or error)");
  }
}
