package dev.wagoexporter.profile;

import java.util.Objects;

/** A profile that cannot be used; the message is one line naming the file, line and key. */
public final class ProfileException extends Exception {
  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Never null: every constructor takes the message (it is what the user reads). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }
}
