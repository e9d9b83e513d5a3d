package dev.wagoexporter.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an endpoint answers: status, content type, extra headers and the whole body. Bodies here are
 * small (a scrape of 200 meters is ~1 MB at most), so whole bodies keep endpoints plain functions
 * that tests call without a server.
 */
public record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String TEXT = "text/plain; charset=utf-8";

  public Answer {
    headers = Map.copyOf(headers);
  }

  public static Answer text(int status, String text) {
    return new Answer(status, TEXT, Map.of(), text.getBytes(StandardCharsets.UTF_8));
  }

  public static Answer of(int status, String contentType, String body) {
    return new Answer(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }
}
