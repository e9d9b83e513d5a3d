package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.BusAddress;
import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.ConfigLoader;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.config.WebConfig;
import dev.wagoexporter.profile.ProfileLoader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;
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
          gateway:
            host: 127.0.0.1
            port: 23102
            framing: rtu-over-tcp
            proxy: {listen_address: "127.0.0.1:23104", units: [5, 6], writable_units: [5]}
          unit_id: 7
          poll_interval: 20s
      probe:
        allowed_targets: ["10.255.255.0/24"]
      status:
        prometheus_url: "http://127.0.0.1:23104"
        grafana_url: "http://127.0.0.1:23105/grafana"
        fuse_amps: 35
        price: 0.32
        tz: Europe/Vienna
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

    // the file really sets every field a config file can set (web comes from its own flag), so a
    // field the command line loses cannot hide behind its default
    for (RecordComponent field : ExporterConfig.class.getRecordComponents()) {
      if (field.getName().equals("web")) {
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
    assertThat(overridden.proxies()).isEqualTo(fromFile.proxies());
  }

  @Test
  void aProxyFlagOverridesOnlyItsOwnFieldOfTheFilesProxy() throws Exception {
    Path config = file("every-key.yml", EVERY_KEY);
    ExporterConfig fromFile = ConfigLoader.load(config, ProfileLoader.builtInNames());
    BusAddress line = fromFile.meters().get(0).bus().address();
    ProxyConfig inFile = fromFile.proxies().get(line);

    ExporterConfig units = resolved("--config", config.toString(), "--proxy.units", "8");
    assertThat(units)
        .isEqualTo(
            fromFile.withProxy(
                line, new ProxyConfig(inFile.listen(), Set.of(8), inFile.writableUnits())));

    ExporterConfig moved =
        resolved("--config", config.toString(), "--proxy.listen-address", "127.0.0.1:23105");
    assertThat(moved.proxies().get(line))
        .isEqualTo(
            new ProxyConfig(
                ListenAddress.parse("127.0.0.1:23105"), inFile.units(), inFile.writableUnits()));
    assertThat(moved.meters()).isEqualTo(fromFile.meters());
    assertThat(moved.probe()).isEqualTo(fromFile.probe());
  }

  @Test
  void proxyFlagsBesideAFileOfSeveralLinesAreAnError() throws Exception {
    Path config =
        file(
            "two-lines.yml",
            """
            meters:
              - name: house
                gateway: {host: 127.0.0.1, port: 23102}
              - name: garage
                gateway: {host: 127.0.0.1, port: 23106}
            """);
    assertThatThrownBy(
            () -> resolved("--config", config.toString(), "--proxy.listen-address", ":5020"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--proxy.* flags (env WAGO_PROXY_*) serve one line, and the config file has 2"
                + " (127.0.0.1:23102, 127.0.0.1:23106): give proxy: {listen_address, units,"
                + " writable_units} on the line in the file instead");
  }

  @Test
  void aStatusFlagBesideTheFileOverridesOnlyItsOwnSetting() throws Exception {
    Path config = file("every-key.yml", EVERY_KEY);
    ExporterConfig fromFile = ConfigLoader.load(config, ProfileLoader.builtInNames());

    ExporterConfig overridden = resolved("--config", config.toString(), "--status.fuse-amps", "63");

    assertThat(overridden.status())
        .isEqualTo(
            new StatusConfig(
                fromFile.status().prometheusUrl(),
                fromFile.status().grafanaUrl(),
                63.0,
                0.32,
                ZoneId.of("Europe/Vienna")));
    assertThat(overridden.withStatus(fromFile.status())).isEqualTo(fromFile);
  }

  @Test
  void aBadStatusFlagIsOneLineSayingHowToWriteIt() {
    assertThatThrownBy(() -> resolved("--gateway", "127.0.0.1:502", "--status.fuse-amps", "3x35"))
        .hasMessageContaining("'3x35' is not a fuse rating in amperes")
        .hasMessageContaining("e.g. 35 for 3×35 A")
        .message()
        .doesNotContain("\n");
  }

  private static Object value(RecordComponent field, ExporterConfig config) throws Exception {
    return field.getAccessor().invoke(config);
  }
}
