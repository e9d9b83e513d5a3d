package dev.wagoexporter.profile;

import java.util.List;

/** A meter's register map as data: what to read, how to decode it, and what to call it. */
public record Profile(
    String name,
    String description,
    int functionCode,
    IdentityRegisters identity,
    List<MetricDefinition> metrics) {
  public Profile {
    metrics = List.copyOf(metrics);
  }

  /** Every point of every metric, in index order. */
  public List<RegisterPoint> points() {
    return metrics.stream().flatMap(m -> m.points().stream()).toList();
  }

  public int pointCount() {
    return metrics.stream().mapToInt(m -> m.points().size()).sum();
  }

  /** The metrics served: without {@code legacy}, the old exporter's series are left out. */
  public List<MetricDefinition> served(boolean legacy) {
    return legacy ? metrics : metrics.stream().filter(m -> !m.legacy()).toList();
  }
}
