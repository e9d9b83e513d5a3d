package dev.wagoexporter.report;

import java.time.Instant;

/** One stored value of a Prometheus series. */
public record Sample(Instant time, double value) {}
