package dev.wagoexporter.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The page at {@code /}: static HTML with a little inline script that fetches {@link MetersApi}'s
 * document every few seconds and shows each meter's values, health, identity and last error with
 * its hint. Static, so it is the same bytes for every request and needs no template engine; no
 * external assets, so it works on a LAN without internet. No server types here.
 */
public final class StatusPage {
  private static final byte[] PAGE = load();

  private StatusPage() {}

  /** The page, UTF-8 HTML. */
  public static byte[] html() {
    return PAGE.clone();
  }

  private static byte[] load() {
    try (InputStream in = StatusPage.class.getResourceAsStream("/status/index.html")) {
      if (in == null) {
        throw new IllegalStateException("status/index.html missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
