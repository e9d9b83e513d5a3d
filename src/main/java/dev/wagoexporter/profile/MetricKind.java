package dev.wagoexporter.profile;

/** Prometheus metric type of a profile metric. */
public enum MetricKind {
  GAUGE,
  COUNTER
}
