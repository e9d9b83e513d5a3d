package dev.wagoexporter.http;

import dev.wagoexporter.poll.MeterIdentity;
import dev.wagoexporter.poll.MeterState;
import java.time.Instant;
import java.util.List;

/** The page at {@code /}: what this is, where the metrics are, and how each meter is doing. */
final class LandingPage {
  private final List<MeterState> meters;

  LandingPage(List<MeterState> meters) {
    this.meters = meters;
  }

  String render() {
    StringBuilder rows = new StringBuilder();
    for (MeterState m : meters) {
      MeterIdentity id = m.identity();
      Instant last = m.lastSuccess();
      rows.append("<tr><td>")
          .append(escape(m.name()))
          .append("</td><td>")
          .append(escape(m.gateway()))
          .append(" unit ")
          .append(m.unitId())
          .append("</td><td class=")
          .append(m.up() ? "up>up" : "down>down")
          .append("</td><td>")
          .append(last == null ? "never" : last.toString())
          .append("</td><td>")
          .append(id == null ? "" : escape(id.serial() + " " + id.model() + " fw " + id.firmware()))
          .append("</td><td>")
          .append(escape(m.lastError()))
          .append("</td></tr>\n");
    }
    return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>wago-exporter</title>
        <style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;text-align:left}
        .up{color:#090}.down{color:#c00}</style></head>
        <body><h1>wago-exporter</h1>
        <p>Prometheus exporter for WAGO 879-30xx energy meters.</p>
        <ul><li><a href="/metrics">/metrics</a></li><li><a href="/healthz">/healthz</a></li>
        <li>/probe?target=HOST:PORT&amp;unit_id=N&amp;framing=tcp&amp;name=LABEL: one meter, read on demand</li></ul>
        <table><tr><th>meter</th><th>gateway</th><th>state</th><th>last success</th><th>identity</th><th>last error</th></tr>
        %s</table></body></html>
        """
        .formatted(rows);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
