package dev.wagoexporter.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * The energy a meter imported and exported today, from the exporter's own readings of the meter's
 * total registers: the sum of their rises since local midnight (the rise from the last reading
 * before midnight counts to today, so "today" is exact to one poll), or since the exporter's first
 * reading when it started today or had no reading shortly before midnight. A register that goes
 * down (meter replaced) counts nothing for that step, as in {@code report}.
 */
public final class EnergyToday {
  /** Today so far; {@code since} is where the count starts, {@code until} the newest reading. */
  public record Today(
      LocalDate day,
      Instant since,
      Instant until,
      boolean sinceMidnight,
      double importJoules,
      double exportJoules) {}

  private final ZoneId zone;
  private final Duration maxGap;

  /** Today's date, and where its energy runs from; none before the first reading. */
  private @Nullable LocalDate day;

  private @Nullable Instant since;
  private boolean sinceMidnight;
  private double importJoules;
  private double exportJoules;
  private @Nullable Instant last;
  private double lastImport = Double.NaN;
  private double lastExport = Double.NaN;

  /**
   * @param maxGap the longest time between two readings whose rise still counts: across midnight
   *     longer than this, today starts at its first reading instead
   */
  public EnergyToday(ZoneId zone, Duration maxGap) {
    this.zone = zone;
    this.maxGap = maxGap;
  }

  /** Adds one reading of the total import and export registers (J); NaN: refused, left out. */
  public synchronized void add(Instant at, double importReading, double exportReading) {
    LocalDate readingDay = LocalDate.ofInstant(at, zone);
    boolean counts = last != null && Duration.between(last, at).compareTo(maxGap) <= 0;
    if (day == null || !readingDay.equals(day)) {
      sinceMidnight = day != null && counts;
      since = sinceMidnight ? last : at;
      day = readingDay;
      importJoules = 0;
      exportJoules = 0;
    }
    if (counts) {
      importJoules += rise(lastImport, importReading);
      exportJoules += rise(lastExport, exportReading);
    }
    if (!Double.isNaN(importReading)) lastImport = importReading;
    if (!Double.isNaN(exportReading)) lastExport = exportReading;
    last = at;
  }

  private static double rise(double before, double now) {
    return Double.isNaN(before) || Double.isNaN(now) || now < before ? 0 : now - before;
  }

  /** Today so far as of {@code now}; none when there is no reading of today yet. */
  public synchronized @Nullable Today today(Instant now) {
    // since and last are set by the same reading that sets day
    if (day == null
        || since == null
        || last == null
        || !day.equals(LocalDate.ofInstant(now, zone))) {
      return null;
    }
    return new Today(day, since, last, sinceMidnight, importJoules, exportJoules);
  }
}
