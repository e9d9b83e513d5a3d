package dev.wagoexporter.http;

import dev.wagoexporter.metrics.VersionedCollector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code /metrics}: client_java's scrape handler answers every request (format negotiation: text
 * 0.0.4 by default, OpenMetrics or protobuf on request; gzip; {@code name[]} and {@code debug}),
 * and its answer is kept for the next scrape. The meters' values change only when a poll ends, so
 * between two polls every scrape would collect and encode the same values again; the kept answer is
 * sent again while the collector's {@link VersionedCollector#version() version} and the request
 * (query, {@code Accept}, {@code Accept-Encoding}) are the same (bench/run.sh: ~1,900 to ~20,000
 * requests/s). A collector without a version is collected and encoded on every scrape.
 */
final class MetricsEndpoint implements Endpoint {
  /** The collector when it tells its version; an answer is only kept for one that does. */
  private final @Nullable VersionedCollector versioned;

  private final ScrapeAnswer clientJava;
  private volatile @Nullable Kept kept;

  /** What an answer was made from: the collector's version and what the request asked for. */
  private record Source(
      Object version,
      @Nullable String rawQuery,
      List<String> accept,
      List<String> acceptEncoding) {}

  private record Kept(Source source, Answer answer) {}

  MetricsEndpoint(MultiCollector collector) {
    this.versioned = collector instanceof VersionedCollector v ? v : null;
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    this.clientJava = new ScrapeAnswer(registry);
  }

  /** The kept answer, when the version and the request are those it was made for. */
  @Override
  public @Nullable Answer ready(Query query) {
    if (versioned == null) {
      return null;
    }
    Kept last = kept;
    return last != null && last.source().equals(source(query)) ? last.answer() : null;
  }

  @Override
  public Answer answer(Query query) throws IOException {
    if (versioned == null) {
      return clientJava.answer(asGet(query));
    }
    // the version before collecting: a poll that ends in between gives a newer body under the
    // older version, which the next scrape replaces; never an older body under a newer version
    Source source = source(query);
    Kept last = kept;
    if (last != null && last.source().equals(source)) {
      return last.answer();
    }
    // one scrape makes the new answer, and those that missed with it take the kept one: without
    // the lock, every connection of a burst encoded the same values at once after each poll
    synchronized (this) {
      last = kept;
      if (last != null && last.source().equals(source)) {
        return last.answer();
      }
      Answer answer = clientJava.answer(asGet(query));
      if (answer.status() == 200) {
        kept = new Kept(source, answer);
      }
      return answer;
    }
  }

  private Source source(Query query) {
    // asked only when the collector has versions: without, nothing is kept
    return new Source(
        Objects.requireNonNull(versioned).version(),
        query.rawQuery(),
        query.headers().apply("Accept"),
        query.headers().apply("Accept-Encoding"));
  }

  /**
   * client_java answers HEAD with an empty body, which would then be kept for GET; the server sends
   * no body for HEAD anyway, and the Content-Length of the body a GET would get.
   */
  private static Query asGet(Query query) {
    return "HEAD".equals(query.method())
        ? new Query("GET", query.path(), query.rawQuery(), query.parameters(), query.headers())
        : query;
  }
}
