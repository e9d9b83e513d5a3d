package dev.wagoexporter.cli;

/**
 * The exit codes of every subcommand (documented in docs/commands.md): 0 all well, 1 a problem
 * found (check: no healthy meter; report: Prometheus unreachable or its answer unusable), 2 bad
 * input or a start-up failure (a flag, an environment variable, the config file, a profile, the
 * listen address).
 */
final class ExitCode {
  private ExitCode() {}

  static final int OK = 0;
  static final int PROBLEM = 1;
  static final int BAD_INPUT = 2;
}
