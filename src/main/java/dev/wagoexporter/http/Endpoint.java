package dev.wagoexporter.http;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One path's content as a plain function of the request: no server types, so the same function is
 * served by {@link ExporterHttpServer} and called directly by tests. Only GET and HEAD reach it,
 * with parameters already decoded and free of control characters.
 */
@FunctionalInterface
public interface Endpoint {
  Answer answer(Query query) throws IOException;

  /**
   * The answer if it is already made and only needs sending (a constant, a kept scrape). The server
   * sends such an answer on the thread that read the request; any other is made on a worker thread.
   */
  default @Nullable Answer ready(Query query) {
    return null;
  }

  /** The same answer to every request. */
  static Endpoint constant(Answer answer) {
    return new Endpoint() {
      @Override
      public Answer answer(Query query) {
        return answer;
      }

      @Override
      public Answer ready(Query query) {
        return answer;
      }
    };
  }
}
