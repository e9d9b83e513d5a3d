package dev.wagoexporter.metrics;

import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
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
 * <p>The process values change all the time, so the version moves on once a second: {@code
 * /metrics} sends the same body again under a burst of scrapes, and a 30 s scrape sees values no
 * older than a second.
 */
public final class WithProcessMetrics implements VersionedCollector {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final VersionedCollector meters;
  private final PrometheusRegistry process = new PrometheusRegistry();

  public WithProcessMetrics(VersionedCollector meters) {
    this.meters = meters;
    ProcessMetrics.builder().register(process);
  }

  /** The meters' version and the second (of {@link System#nanoTime}) the process values are of. */
  @Override
  public List<Object> version() {
    return List.of(meters.version(), System.nanoTime() / REFRESH_NANOS);
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> all = new ArrayList<>();
    meters.collect().forEach(all::add);
    process.scrape().forEach(all::add);
    return new MetricSnapshots(all);
  }
}
