package dev.wagoexporter.config;

import java.util.Objects;

/**
 * A configuration that cannot be used. The message is the single line to print before exiting with
 * code 2: {@code <file>:<line>:<column>: <key path>: <what is wrong> (<how to fix>)}.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Never null: every constructor takes the message (it is what the user reads). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }
}
