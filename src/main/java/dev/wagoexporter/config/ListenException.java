package dev.wagoexporter.config;

import java.io.IOException;
import java.util.Objects;

/**
 * A server of the exporter (the HTTP listener, a line's Modbus TCP proxy) cannot listen on its
 * address: in use, or not an address of this machine. One type for both, so start-up catches it by
 * type and ends with its one line (what, where, how to fix).
 */
public final class ListenException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param address where, as the user wrote it
   * @param server which server, e.g. " for the Modbus TCP proxy", or "" for the HTTP listener
   * @param cause the bind failure, whose root message says what went wrong
   * @param fix how to fix it
   */
  public ListenException(String address, String server, Throwable cause, String fix) {
    super("cannot listen on " + address + server + ": " + rootMessage(cause) + " (" + fix + ")");
    initCause(cause);
  }

  /** Never null: the one constructor makes it. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
