package dev.wagoexporter.report;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Cuts a date range into calendar days or months of one time zone. */
public final class CalendarPeriods {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");

  private CalendarPeriods() {}

  /**
   * The periods covering {@code from} to {@code to}, both days included. Months are cut at {@code
   * from} and {@code to}, so a range that starts mid-month gives a partial first month.
   */
  public static List<ReportPeriod> between(
      LocalDate from, LocalDate to, PeriodUnit unit, ZoneId zone) {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
    List<ReportPeriod> periods = new ArrayList<>();
    LocalDate endExclusive = to.plusDays(1);
    LocalDate day = from;
    while (day.isBefore(endExclusive)) {
      LocalDate next =
          unit == PeriodUnit.DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
      if (next.isAfter(endExclusive)) next = endExclusive;
      String label = unit == PeriodUnit.DAY ? day.toString() : MONTH.format(day);
      // atStartOfDay, not atTime(0:00): in zones that skip midnight it gives the first real instant
      periods.add(new ReportPeriod(label, day.atStartOfDay(zone), next.atStartOfDay(zone)));
      day = next;
    }
    return periods;
  }
}
