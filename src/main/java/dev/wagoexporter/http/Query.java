package dev.wagoexporter.http;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A request as an endpoint sees it.
 *
 * @param method GET or HEAD
 * @param rawQuery the query string as sent; none without one
 * @param parameters decoded names to their values in order, free of control characters
 * @param headers all values of a header, by case-insensitive name; empty when absent
 */
public record Query(
    String method,
    String path,
    @Nullable String rawQuery,
    Map<String, List<String>> parameters,
    Function<String, List<String>> headers) {

  /** The first value of a header. */
  public @Nullable String header(String name) {
    List<String> values = headers.apply(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The only value of a parameter; given twice is a {@link BadRequest}. */
  public @Nullable String parameter(String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new BadRequest(
          name
              + " is given "
              + (values.size() == 2 ? "twice" : values.size() + " times")
              + "; give it once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** A request for tests and adapters: GET with these parameters and no headers. */
  public static Query get(String path, Map<String, List<String>> parameters) {
    return new Query("GET", path, null, parameters, name -> List.of());
  }
}
