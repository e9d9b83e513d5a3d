package dev.wagoexporter.cli;

/**
 * Ends a command with exit code 2 and one line, {@code error: <message>}, on standard error: bad
 * input, or a start-up failure the user can fix (a port in use, a listen host that does not
 * resolve). The one way any subcommand says so.
 */
final class UsageError extends RuntimeException {
  UsageError(String message) {
    super(message, null, false, false);
  }
}
