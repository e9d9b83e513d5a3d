package dev.wagoexporter.metrics;

import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters' metrics plus the exporter's own {@code process_*} metrics (CPU seconds, resident and
 * virtual memory, open and maximum file descriptors, start time), as other exporters serve them,
 * from client_java's {@link ProcessMetrics}.
 *
 * <p>{@code /metrics} sends the encoded body of the last scrape again while the snapshots it gets
 * are the same object. The process values change all the time, so they are read at most once a
 * second: under a burst of scrapes the body is still reused, and a 30 s scrape sees values no older
 * than a second.
 */
public final class WithProcessMetrics implements MultiCollector {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final MultiCollector meters;
  private final PrometheusRegistry process = new PrometheusRegistry();
  private MetricSnapshots lastMeters;
  private MetricSnapshots combined;
  private long processReadAt;

  public WithProcessMetrics(MultiCollector meters) {
    this.meters = meters;
    ProcessMetrics.builder().register(process);
  }

  @Override
  public synchronized MetricSnapshots collect() {
    MetricSnapshots current = meters.collect();
    long now = System.nanoTime();
    if (combined == null || current != lastMeters || now - processReadAt >= REFRESH_NANOS) {
      List<MetricSnapshot> all = new ArrayList<>(current.size() + 8);
      current.forEach(all::add);
      process.scrape().forEach(all::add);
      combined = new MetricSnapshots(all);
      lastMeters = current;
      processReadAt = now;
    }
    return combined;
  }
}
