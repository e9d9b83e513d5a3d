package dev.wagoexporter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import picocli.CommandLine;

/** One in-process run of {@code wago-exporter report} through picocli. */
record ReportRun(int exit, String out, String err) {
  // after every test date, so no period is "not over yet"
  static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);

  static ReportRun of(String... args) {
    return at(CLOCK, args);
  }

  /** A run whose "now" is {@code clock}: today's row is the day so far. */
  static ReportRun at(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.withErrorHandling(new CommandLine(new ReportCommand(clock)));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new ReportRun(exit, out.toString(), err.toString());
  }
}
