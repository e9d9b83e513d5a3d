package dev.wagoexporter.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A real Prometheus (Debian's binary) on loopback, run with the shipped prometheus.yml changed only
 * where a test must: the targets, faster scrapes and rule evaluation, absolute rule paths.
 */
final class PrometheusServer implements QueryApi, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path log;
  private final String baseUrl;

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  static PrometheusServer start(ExternalTool binary, Path workDir, String exporterTarget) throws IOException {
    return start(binary, workDir, exporterTarget, config -> { });
  }

  /** As {@link #start(ExternalTool, Path, String)}, with {@code edit} applied to the test configuration first. */
  static PrometheusServer start(ExternalTool binary, Path workDir, String exporterTarget,
      Consumer<Map<String, Object>> edit) throws IOException {
    int port = FreePort.onLoopback();
    Path config = workDir.resolve("prometheus.yml");
    Map<String, Object> settings = testConfigMap(exporterTarget, "127.0.0.1:" + port);
    edit.accept(settings);
    Files.writeString(config, new Dump(DumpSettings.builder().build()).dumpToString(settings));
    Path log = workDir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.path().toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PrometheusServer(process, log, port);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> testConfigMap(String exporterTarget, String selfTarget) throws IOException {
    Map<String, Object> config = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(RepoPaths.PROMETHEUS_YML));
    Map<String, Object> global = (Map<String, Object>) config.get("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    List<String> ruleFiles = (List<String>) config.get("rule_files");
    ruleFiles.replaceAll(glob -> RepoPaths.PROMETHEUS_DIR.resolve(glob).toString());
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      String target = "wago".equals(job.get("job_name")) ? exporterTarget : selfTarget;
      job.remove("scrape_interval");
      for (Map<String, Object> staticConfig : (List<Map<String, Object>>) job.get("static_configs")) {
        staticConfig.put("targets", List.of(target));
      }
    }
    return config;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public JsonNode api(String path, Map<String, String> params) throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(baseUrl).append(path);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      uri.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri.toString()))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
