package dev.wagoexporter.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * client_java's scrape handler (format negotiation: text 0.0.4 by default, OpenMetrics and protobuf
 * on request; {@code name[]} filters; {@code debug}; gzip) answering into an {@link Answer}, so any
 * server can serve it.
 */
final class ScrapeAnswer {
  /** The values client_java's handler accepts for {@code debug}; others it answers with a 500. */
  private static final Set<String> DEBUG_FORMATS =
      Set.of("openmetrics", "text", "prometheus-protobuf");

  private final PrometheusScrapeHandler handler;

  ScrapeAnswer(PrometheusRegistry registry) {
    this.handler = new PrometheusScrapeHandler(registry);
  }

  /** Rejects what client_java would answer with a 500. */
  static void checkParameters(Query query) {
    for (String debug : query.parameters().getOrDefault("debug", List.of())) {
      if (!DEBUG_FORMATS.contains(debug)) {
        throw new BadRequest(
            "debug='"
                + debug
                + "' is not a format; use debug=text, debug=openmetrics or"
                + " debug=prometheus-protobuf");
      }
    }
  }

  Answer answer(Query query) throws IOException {
    checkParameters(query);
    Exchange exchange = new Exchange(query);
    handler.handleRequest(exchange);
    if (exchange.failure != null) {
      throw exchange.failure;
    }
    Map<String, String> headers = new LinkedHashMap<>(exchange.headers);
    String contentType = headers.remove("Content-Type");
    headers.remove("Content-Length");
    return new Answer(
        exchange.status,
        contentType == null ? Answer.TEXT : contentType,
        headers,
        exchange.body.toByteArray());
  }

  private static final class Exchange
      implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
    private final Query query;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    private int status = 500;
    private @Nullable IOException failure;

    Exchange(Query query) {
      this.query = query;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return this;
    }

    @Override
    public void handleException(IOException e) {
      failure = e;
    }

    @Override
    public void handleException(RuntimeException e) {
      throw e;
    }

    @Override
    public void close() {}

    @Override
    public @Nullable String getQueryString() {
      return query.rawQuery();
    }

    @Override
    public @Nullable Enumeration<String> getHeaders(String name) {
      List<String> values = query.headers().apply(name);
      return values.isEmpty() ? null : Collections.enumeration(values);
    }

    @Override
    public String getMethod() {
      return query.method();
    }

    @Override
    public String getRequestPath() {
      return query.path();
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      status = statusCode;
      return body;
    }
  }
}
