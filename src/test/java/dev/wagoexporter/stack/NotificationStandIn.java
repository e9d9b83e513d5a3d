package dev.wagoexporter.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the services a phone gets its alerts from, which a test cannot reach: Telegram's
 * Bot API (sendMessage), an ntfy topic and a Home Assistant webhook. A loopback HTTP server that
 * answers as they do and records every request Alertmanager sends.
 */
final class NotificationStandIn implements AutoCloseable {
  static final String TELEGRAM_TOKEN = "123456789:stand-in-token";
  static final String TELEGRAM_CHAT_ID = "4242";
  static final String NTFY_PATH = "/ntfy/wago-alerts";
  static final String WEBHOOK_PATH = "/homeassistant/api/webhook/wago";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BOT_METHOD = Pattern.compile("/bot([^/]+)/(\\w+)");

  /** One HTTP request as received. */
  record Request(String path, String query, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private NotificationStandIn(HttpServer server) {
    this.server = server;
  }

  static NotificationStandIn start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    NotificationStandIn standIn = new NotificationStandIn(server);
    server.createContext("/", standIn::handle);
    server.start();
    return standIn;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request so far to {@code path} (exactly), in arrival order. */
  List<Request> requestsTo(String path) {
    List<Request> matching = new ArrayList<>();
    for (Request request : requests) {
      if (request.path().equals(path)) {
        matching.add(request);
      }
    }
    return matching;
  }

  /** The texts of the messages sent through the Telegram stand-in. */
  List<String> telegramTexts() {
    List<String> texts = new ArrayList<>();
    for (Request request : requestsTo("/bot" + TELEGRAM_TOKEN + "/sendMessage")) {
      JsonNode message = request.json();
      if (TELEGRAM_CHAT_ID.equals(message.path("chat_id").asText())) {
        texts.add(message.path("text").asText());
      }
    }
    return texts;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    requests.add(new Request(path, exchange.getRequestURI().getRawQuery(), body));
    Matcher bot = BOT_METHOD.matcher(path);
    String answer = "{}";
    int status = 200;
    if (bot.matches()) {
      // what the Bot API answers: the sent message, or who the bot is
      if (!bot.group(1).equals(TELEGRAM_TOKEN)) {
        status = 401;
        answer = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}";
      } else if (bot.group(2).equals("getMe")) {
        answer =
            "{\"ok\":true,\"result\":{\"id\":123456789,\"is_bot\":true,\"first_name\":\"wago\","
                + "\"username\":\"wago_stand_in_bot\"}}";
      } else {
        answer =
            "{\"ok\":true,\"result\":{\"message_id\":"
                + requests.size()
                + ",\"date\":1700000000,\"chat\":{\"id\":"
                + TELEGRAM_CHAT_ID
                + ",\"type\":\"private\"},\"text\":\"ok\"}}";
      }
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
