package dev.wagoexporter.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics}. Between two polls every scrape would encode the same values again; the
 * collector returns the same {@link MetricSnapshots} while nothing changed, so this keeps the
 * encoded response of the last scrape and sends its bytes again (bench/run.sh: ~1,900 to ~5,500
 * requests/s on a 2-core machine). The format is chosen by client_java's own negotiation (text
 * 0.0.4 by default, OpenMetrics or protobuf on request), and every request with query parameters
 * (such as {@code name[]} or {@code debug}) goes to client_java's scrape handler unchanged.
 */
final class MetricsEndpoint implements Endpoint {
  private final MultiCollector collector;
  private final ScrapeAnswer clientJava;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private volatile Encoded last;

  /** A response body and what it was made from. */
  private record Encoded(MetricSnapshots source, String contentType, boolean gzip, byte[] body) {}

  MetricsEndpoint(MultiCollector collector) {
    this.collector = collector;
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    this.clientJava = new ScrapeAnswer(registry);
  }

  @Override
  public Answer answer(Query query) throws IOException {
    if (query.rawQuery() != null) {
      return clientJava.answer(query);
    }
    ExpositionFormatWriter writer = formats.findWriter(query.header("Accept"));
    String acceptEncoding = query.header("Accept-Encoding");
    boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
    MetricSnapshots snapshots = collector.collect();
    Encoded encoded = last;
    if (encoded == null
        || encoded.source() != snapshots
        || encoded.gzip() != gzip
        || !encoded.contentType().equals(writer.getContentType())) {
      encoded =
          new Encoded(snapshots, writer.getContentType(), gzip, encode(writer, snapshots, gzip));
      last = encoded;
    }
    return new Answer(
        200,
        encoded.contentType(),
        gzip ? Map.of("Content-Encoding", "gzip") : Map.of(),
        encoded.body());
  }

  private static byte[] encode(
      ExpositionFormatWriter writer, MetricSnapshots snapshots, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    if (gzip) {
      try (GZIPOutputStream zipped = new GZIPOutputStream(bytes)) {
        writer.write(zipped, snapshots);
      }
    } else {
      writer.write(bytes, snapshots);
    }
    return bytes.toByteArray();
  }
}
