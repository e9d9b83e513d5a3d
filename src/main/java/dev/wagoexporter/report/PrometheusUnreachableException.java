package dev.wagoexporter.report;

import java.io.IOException;

/** No HTTP answer from Prometheus at all: wrong URL, not running, or a firewall. */
public final class PrometheusUnreachableException extends IOException {
  public PrometheusUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
