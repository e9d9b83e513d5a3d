package dev.wagoexporter.http;

/**
 * Thrown by an endpoint for a request it cannot serve as asked: the server answers 400 with the
 * message.
 */
public final class BadRequest extends IllegalArgumentException {
  public BadRequest(String whatAndHowToFix) {
    super(whatAndHowToFix);
  }
}
