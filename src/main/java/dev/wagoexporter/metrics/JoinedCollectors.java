package dev.wagoexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters' metrics and the proxies' in one collector. The proxies' counters change with every
 * client request, so the joined snapshots are new on every scrape (the encoded-body reuse of {@code
 * /metrics} then encodes again: only with a proxy configured).
 */
public final class JoinedCollectors implements VersionedCollector {
  private final VersionedCollector meters;
  private final MultiCollector proxies;

  public JoinedCollectors(VersionedCollector meters, MultiCollector proxies) {
    this.meters = meters;
    this.proxies = proxies;
  }

  /** A version never seen before: the proxies' counters may have moved since the last scrape. */
  @Override
  public Object version() {
    return new Object();
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> all = new ArrayList<>();
    meters.collect().forEach(all::add);
    proxies.collect().forEach(all::add);
    return new MetricSnapshots(all);
  }
}
