package dev.wagoexporter.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium} without a display, driven over the DevTools protocol (JSON over a
 * WebSocket) with the JDK's own HTTP client: no Selenium, no driver download. One page (tab) per
 * browser, which is all a test of our status page needs.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final ChildProcess process;
  private final Path profileDir;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(ChildProcess process, Path profileDir, WebSocket socket) {
    this.process = process;
    this.profileDir = profileDir;
    this.socket = socket;
  }

  /**
   * Starts chromium with a window of {@code width} x {@code height} CSS pixels (skips the test when
   * chromium is missing outside CI) and opens one blank page.
   */
  public static HeadlessChromium start(Path workDir, int width, int height)
      throws IOException, InterruptedException {
    ExternalTool chromium = ExternalTool.require("chromium", "chromium");
    Path profileDir = Files.createTempDirectory(workDir, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.path().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--remote-debugging-address=127.0.0.1",
                // port 0: chromium picks a free one and writes it to DevToolsActivePort
                "--remote-debugging-port=0",
                "--user-data-dir=" + profileDir,
                "about:blank"));
    ChildProcess process = ChildProcess.start(command, workDir.resolve("chromium.log"));
    try {
      int port = devToolsPort(profileDir, process);
      URI page = pageSocket(port);
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(COMMAND_TIMEOUT)
              .buildAsync(page, new Listener(message -> self[0].onMessage(message)))
              .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(process, profileDir, socket);
      return self[0];
    } catch (ExecutionException | TimeoutException | RuntimeException | IOException e) {
      process.close();
      throw new IllegalStateException(
          "chromium did not open its DevTools socket: " + e + "\n" + process.log(), e);
    }
  }

  private static int devToolsPort(Path profileDir, ChildProcess process)
      throws IOException, InterruptedException {
    Path portFile = profileDir.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IOException("chromium exited at start");
      }
      if (Files.exists(portFile)) {
        List<String> lines = Files.readAllLines(portFile);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      Thread.sleep(50); // polling a file chromium writes once; the deadline bounds it
    }
    throw new IOException("no DevToolsActivePort within " + COMMAND_TIMEOUT);
  }

  private static URI pageSocket(int port) throws IOException, InterruptedException {
    HttpResponse<String> list =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(COMMAND_TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(list.body())) {
      if ("page".equals(target.path("type").asText())) {
        return URI.create(target.path("webSocketDebuggerUrl").asText());
      }
    }
    throw new IOException("no page target in " + list.body());
  }

  private void onMessage(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      if (node.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
        if (f != null) {
          f.complete(node);
        }
      }
      // events (no id) are not needed: the tests wait for conditions in the page instead
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one DevTools command and returns its {@code result}; fails on a protocol error. */
  public JsonNode send(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode command = JSON.createObjectNode();
    command.put("id", id);
    command.put("method", method);
    command.set("params", JSON.valueToTree(params));
    try {
      socket.sendText(JSON.writeValueAsString(command), true);
      JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new IllegalStateException(method + " failed: " + answer.get("error"));
      }
      return answer.path("result");
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Lays the page out as a phone would: {@code width} CSS pixels wide, and the page's viewport meta
   * tag honoured (without it a mobile browser lays out 980 px and the page scrolls sideways).
   */
  public void emulatePhone(int width, int height) {
    send(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
  }

  public void navigate(String url) {
    send("Page.navigate", Map.of("url", url));
  }

  /**
   * Evaluates a JavaScript expression in the page (promises awaited) and returns its value as JSON;
   * a thrown exception fails.
   */
  public JsonNode evaluate(String expression) {
    JsonNode result =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          "JavaScript failed: " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** A PNG of the whole page, also the part below the window. */
  public void screenshot(Path png) throws IOException {
    JsonNode shot =
        send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  public String log() {
    return process.log();
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.close();
    try (var files = Files.walk(profileDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir of a finished browser: the JUnit temp dir goes away anyway
    }
  }

  /** Collects a message that may arrive in several frames and hands it over whole. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> onMessage;
    private final StringBuilder partial = new StringBuilder();

    Listener(java.util.function.Consumer<String> onMessage) {
      this.onMessage = onMessage;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        onMessage.accept(message);
      }
      webSocket.request(1);
      return null;
    }
  }
}
