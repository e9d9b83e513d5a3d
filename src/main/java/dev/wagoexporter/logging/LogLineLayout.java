package dev.wagoexporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One log line per event: {@code ts}, {@code level}, {@code component}, then the meter and other
 * context (MDC and key-value pairs), then {@code msg}, and {@code err} for an exception. logfmt
 * quotes a value only when it needs it; JSON is one object per line.
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private final LogFormat format;

  LogLineLayout(LogFormat format) {
    this.format = format;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("ts", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
    fields.put("level", event.getLevel().toString().toLowerCase(java.util.Locale.ROOT));
    fields.put("component", component(event.getLoggerName()));
    event.getMDCPropertyMap().forEach(fields::put);
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        fields.put(kv.key, String.valueOf(kv.value));
      }
    }
    fields.put("msg", event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      fields.put("err", ThrowableProxyUtil.asString(thrown));
    }
    return format == LogFormat.JSON ? json(fields) : logfmt(fields);
  }

  /**
   * {@code dev.wagoexporter.poll.MeterPoller} is "poll"; a library's logger is named by its
   * project: {@code io.netty.util.X} is "netty".
   */
  static String component(String loggerName) {
    String[] parts = loggerName.split("\\.");
    if (loggerName.startsWith("dev.wagoexporter.") && parts.length >= 4) {
      return parts[2].equals("cli") ? "exporter" : parts[2];
    }
    return parts.length >= 2 ? parts[1] : loggerName;
  }

  private static String logfmt(Map<String, String> fields) {
    StringBuilder line = new StringBuilder(128);
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(f.getKey()).append('=');
      appendLogfmtValue(line, f.getValue());
    }
    return line.append('\n').toString();
  }

  private static void appendLogfmtValue(StringBuilder line, String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c <= ' ' || c == '=' || c == '"' || c == '\\';
    }
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> line.append(c);
      }
    }
    line.append('"');
  }

  private static String json(Map<String, String> fields) {
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    StringBuilder line = new StringBuilder(160).append('{');
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (line.length() > 1) {
        line.append(',');
      }
      line.append('"').append(encoder.quoteAsString(f.getKey())).append("\":\"");
      line.append(encoder.quoteAsString(f.getValue())).append('"');
    }
    return line.append("}\n").toString();
  }
}
