package dev.wagoexporter.http;

/**
 * Thrown by an endpoint for a request it cannot serve as asked: the server answers 400 with the
 * message. Its own type, not an {@link IllegalArgumentException}: only what an endpoint means as
 * the client's mistake is answered as one, a bug anywhere below is a 500.
 */
public final class BadRequest extends RuntimeException {
  public BadRequest(String whatAndHowToFix) {
    super(whatAndHowToFix);
  }
}
