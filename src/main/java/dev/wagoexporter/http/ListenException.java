package dev.wagoexporter.http;

import java.net.BindException;

/** The HTTP server cannot listen on its address (in use, or not an address of this machine). */
public final class ListenException extends BindException {
  public ListenException(String address, Throwable cause) {
    super("cannot listen on " + address + ": " + rootMessage(cause));
    initCause(cause);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
