package dev.wagoexporter.report;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A series from a Prometheus answer: its labels and its samples, oldest first. */
public record TimeSeries(Map<String, String> labels, List<Sample> samples) {
  public TimeSeries {
    labels = Map.copyOf(labels);
    samples = List.copyOf(samples);
  }

  public @Nullable String label(String name) {
    return labels.get(name);
  }
}
