package dev.wagoexporter.profile;

/** A profile that cannot be used; the message is one line naming the file, line and key. */
public final class ProfileException extends Exception {
  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
