package dev.wagoexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;

/**
 * A collector whose snapshots change only when its {@link #version()} does, so that {@code
 * /metrics} can send the body it encoded for a version again instead of collecting and encoding the
 * same values on every scrape.
 */
public interface VersionedCollector extends MultiCollector {
  /**
   * What the snapshots are made from, compared with {@code equals}: two equal versions give equal
   * snapshots. Cheap: it is read on every scrape.
   */
  Object version();
}
