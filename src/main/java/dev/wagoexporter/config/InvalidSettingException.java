package dev.wagoexporter.config;

import java.util.Objects;

/**
 * A setting whose value breaks a rule of its record. Thrown by the records' constructors and the
 * {@code parse} methods, so flags and the config file share one set of rules; the config loader
 * adds file, line and column.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the setting as spelled in the config file, relative to the record that checks it
   *     (e.g. {@code port}, {@code meters[1].name})
   * @param problem what is wrong, naming the bad value
   * @param fix how to fix it
   */
  public InvalidSettingException(String key, String problem, String fix) {
    super(problem + " (" + fix + ")");
    this.key = key;
  }

  /** Never null: every constructor takes the message (it is what the user reads). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  /** The offending setting's config-file key, relative to the record that rejected it. */
  public String key() {
    return key;
  }
}
