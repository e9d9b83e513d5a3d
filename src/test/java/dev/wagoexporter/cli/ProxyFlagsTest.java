package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.ExporterConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.config.UnitIds;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run --proxy.*}: the Modbus TCP proxy on the line of {@code --gateway}. */
class ProxyFlagsTest {
  private static ExporterConfig config(String... args) throws ConfigException {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run.options.resolve(run.bus());
  }

  @Test
  void theFlagsPutAProxyOnTheMetersGateway() throws ConfigException {
    ExporterConfig config =
        config(
            "--gateway",
            "192.168.2.10:8899",
            "--unit-id",
            "2",
            "--proxy.listen-address",
            ":5020",
            "--proxy.units",
            "5, 7",
            "--proxy.writable-units",
            "5");
    assertThat(config.proxies())
        .containsOnlyKeys(config.meters().get(0).bus().address())
        .containsValue(new ProxyConfig(new ListenAddress("", 5020), Set.of(5, 7), Set.of(5)));
  }

  @Test
  void withoutAListenAddressThereIsNoProxy() throws ConfigException {
    assertThat(config("--gateway", "192.168.2.10:8899").proxies()).isEmpty();
  }

  @Test
  void theMeterIsNeverWritable() {
    assertThatThrownBy(
            () ->
                config(
                    "--gateway",
                    "192.168.2.10:8899",
                    "--unit-id",
                    "2",
                    "--proxy.listen-address",
                    ":5020",
                    "--proxy.writable-units",
                    "5,2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--proxy.writable-units: unit 2 is meter 'main', which the exporter reads; a meter can"
                + " never be writable through the proxy (remove 2 from the proxy's writable units)");
  }

  @Test
  void aUnitThatIsNotANumberIsNamed() {
    assertThatThrownBy(
            () ->
                config(
                    "--gateway",
                    "192.168.2.10:8899",
                    "--proxy.listen-address",
                    ":5020",
                    "--proxy.units",
                    "5,heatpump"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--proxy.units: 'heatpump' is not a unit id (" + UnitIds.FIX + ")");
  }

  @Test
  void unitsWithoutAListenAddressAreAnError() {
    assertThatThrownBy(() -> config("--gateway", "192.168.2.10:8899", "--proxy.units", "5"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("need --proxy.listen-address");
  }
}
