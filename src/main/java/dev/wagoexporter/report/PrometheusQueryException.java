package dev.wagoexporter.report;

import java.io.IOException;

/** Prometheus answered, but refused the query or sent something that is not an API answer. */
public final class PrometheusQueryException extends IOException {
  public PrometheusQueryException(String message) {
    super(message);
  }
}
