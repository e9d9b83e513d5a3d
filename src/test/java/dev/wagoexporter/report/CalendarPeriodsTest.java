package dev.wagoexporter.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalendarPeriodsTest {
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");

  @Test
  void daysAroundDstChangesAre23And25HoursLong() {
    List<ReportPeriod> spring =
        CalendarPeriods.between(
            LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-30"), PeriodUnit.DAY, VIENNA);
    assertThat(spring)
        .extracting(ReportPeriod::label)
        .containsExactly("2026-03-28", "2026-03-29", "2026-03-30");
    assertThat(spring).extracting(ReportPeriod::hours).containsExactly(24.0, 23.0, 24.0);
    assertThat(spring.get(1).start().toOffsetDateTime()).hasToString("2026-03-29T00:00+01:00");
    assertThat(spring.get(1).end().toOffsetDateTime()).hasToString("2026-03-30T00:00+02:00");

    List<ReportPeriod> autumn =
        CalendarPeriods.between(
            LocalDate.parse("2026-10-25"), LocalDate.parse("2026-10-25"), PeriodUnit.DAY, VIENNA);
    assertThat(autumn).singleElement().extracting(ReportPeriod::hours).isEqualTo(25.0);
  }

  @Test
  void monthsAreCalendarMonthsCutAtTheRequestedDays() {
    List<ReportPeriod> months =
        CalendarPeriods.between(
            LocalDate.parse("2026-02-15"), LocalDate.parse("2026-04-30"), PeriodUnit.MONTH, VIENNA);
    assertThat(months)
        .extracting(ReportPeriod::label)
        .containsExactly("2026-02", "2026-03", "2026-04");
    assertThat(months.get(0).start().toLocalDate()).isEqualTo(LocalDate.parse("2026-02-15"));
    // March 2026 in Vienna: 31 days, one of them 23 hours
    assertThat(months.get(1).hours()).isEqualTo(31 * 24 - 1);
    assertThat(months.get(2).end().toLocalDate()).isEqualTo(LocalDate.parse("2026-05-01"));
  }

  @Test
  void refusesAnEmptyRange() {
    assertThatThrownBy(
            () ->
                CalendarPeriods.between(
                    LocalDate.parse("2026-03-02"),
                    LocalDate.parse("2026-03-01"),
                    PeriodUnit.DAY,
                    VIENNA))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
