package dev.wagoexporter.report;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Every stored sample of one register in a short stretch of time; asked only around a reset. */
@FunctionalInterface
public interface RawSampleSource {
  /** Samples with {@code after < time <= upTo}, oldest first. */
  List<Sample> samples(EnergyRegister register, Instant after, Instant upTo) throws IOException;
}
