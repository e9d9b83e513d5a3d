package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.ConfigLoader;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.profile.ProfileLoader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/**
 * {@code --config FILE} through the command line as a user types it: every top-level key of the
 * file reaches the exporter, and a flag beside it changes its own field and nothing else.
 */
class ConfigFlagTest {
  /** Every top-level key, each set to something other than its default. */
  private static final String EVERY_KEY =
      """
      listen: "127.0.0.1:23101"
      legacy_metrics: true
      meters:
        - name: heat_pump
          gateway: {host: 127.0.0.1, port: 23102, framing: rtu-over-tcp}
          unit_id: 7
          poll_interval: 20s
      probe:
        allowed_targets: ["10.255.255.0/24"]
      """;

  @TempDir Path dir;

  private ExporterConfig resolved(String... args) throws Exception {
    ParseResult parsed = Main.commandLine().parseArgs(Main.withDefaultCommand(args));
    RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
    return run.options.resolve(run.bus());
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void everyTopLevelKeyOfTheFileReachesTheExporter() throws Exception {
    Path config = file("every-key.yml", EVERY_KEY);
    ExporterConfig fromFile = ConfigLoader.load(config, ProfileLoader.builtInNames());
    ExporterConfig defaults =
        ConfigLoader.load(
            file("minimal.yml", "meters:\n  - gateway: {host: 127.0.0.1, port: 502}\n"),
            ProfileLoader.builtInNames());

    // the file really sets every field a config file can set (web comes from its own flag; the
    // proxy, so far, only from the --proxy.* flags: the file has no proxy key yet), so a field the
    // command line loses cannot hide behind its default
    for (RecordComponent field : ExporterConfig.class.getRecordComponents()) {
      if (field.getName().equals("web") || field.getName().equals("proxies")) {
        continue;
      }
      assertThat(Objects.equals(value(field, fromFile), value(field, defaults)))
          .as("the test file sets %s to something other than its default", field.getName())
          .isFalse();
    }

    assertThat(resolved("--config", config.toString())).isEqualTo(fromFile);
    assertThat(
            resolved("run", "--config", config.toString())
                .probe()
                .allows(GatewayAddress.parse("10.255.255.1:502")))
        .isTrue();
  }

  @Test
  void aFlagBesideTheFileOverridesOnlyItsOwnField() throws Exception {
    Path config = file("every-key.yml", EVERY_KEY);
    ExporterConfig fromFile = ConfigLoader.load(config, ProfileLoader.builtInNames());

    ExporterConfig overridden =
        resolved(
            "--config", config.toString(), "--listen", "127.0.0.1:23103", "--legacy-metrics=false");

    assertThat(overridden)
        .isEqualTo(
            fromFile.withListen(ListenAddress.parse("127.0.0.1:23103")).withLegacyMetrics(false));
    assertThat(overridden.probe()).isEqualTo(fromFile.probe());
    assertThat(overridden.meters()).isEqualTo(fromFile.meters());
    assertThat(overridden.web()).isEqualTo(WebConfig.NONE);
  }

  private static Object value(RecordComponent field, ExporterConfig config) throws Exception {
    return field.getAccessor().invoke(config);
  }
}
