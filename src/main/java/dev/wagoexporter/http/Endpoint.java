package dev.wagoexporter.http;

import java.io.IOException;

/**
 * One path's content as a plain function of the request: no server types, so the same function is
 * served by {@link ExporterHttpServer} and called directly by tests. Only GET and HEAD reach it,
 * with parameters already decoded and free of control characters.
 */
@FunctionalInterface
public interface Endpoint {
  Answer answer(Query query) throws IOException;
}
