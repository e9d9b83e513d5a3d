package dev.wagoexporter.stack;

import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import dev.wagoexporter.testsupport.Timeouts;
import java.io.IOException;
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
 * A real Prometheus run with the shipped prometheus.yml changed only where a test must: the
 * targets, faster scrapes and rule evaluation, absolute rule paths.
 */
final class StackPrometheus {
  private StackPrometheus() {}

  static PrometheusProcess start(ExternalTool binary, Path workDir, String exporterTarget)
      throws IOException, InterruptedException {
    return start(binary, workDir, exporterTarget, config -> {});
  }

  /**
   * As {@link #start(ExternalTool, Path, String)}, with {@code edit} applied to the test
   * configuration first.
   */
  static PrometheusProcess start(
      ExternalTool binary, Path workDir, String exporterTarget, Consumer<Map<String, Object>> edit)
      throws IOException, InterruptedException {
    int port = FreePort.onLoopback();
    Path config = workDir.resolve("prometheus.yml");
    Map<String, Object> settings = testConfigMap(exporterTarget, "127.0.0.1:" + port);
    edit.accept(settings);
    Files.writeString(config, new Dump(DumpSettings.builder().build()).dumpToString(settings));
    PrometheusProcess prometheus =
        PrometheusProcess.start(
            binary,
            config,
            workDir.resolve("data"),
            port,
            workDir.resolve("prometheus.log"),
            List.of());
    // A query before Prometheus listens is a ConnectException, which Awaitility does not retry:
    // ProbeScrapeConfigIT failed that way right after the Docker stack test had filled the disk
    // cache with other files.
    prometheus.awaitReady(Timeouts.scaled(Duration.ofSeconds(60)));
    return prometheus;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> testConfigMap(String exporterTarget, String selfTarget)
      throws IOException {
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
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
      for (Map<String, Object> fileSd :
          (List<Map<String, Object>>) job.getOrDefault("file_sd_configs", List.of())) {
        ((List<String>) fileSd.get("files"))
            .replaceAll(glob -> RepoPaths.PROMETHEUS_DIR.resolve(glob).toString());
      }
      for (Map<String, Object> staticConfig :
          (List<Map<String, Object>>) job.getOrDefault("static_configs", List.of())) {
        staticConfig.put("targets", List.of(target));
      }
    }
    return config;
  }
}
