package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On-demand reads over real loopback sockets: connection sharing with the pollers, framing
 * agreement, bounds.
 */
class MeterProbesIT {
  // a reply's deadline: on a busy machine a loopback answer can take longer than 500 ms
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofMillis(500));

  private static ProbeTarget target(int port, Framing framing, int unitId, String name)
      throws Exception {
    return target("127.0.0.1", port, framing, unitId, name);
  }

  private static ProbeTarget target(String host, int port, Framing framing, int unitId, String name)
      throws Exception {
    Profile profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    return new ProbeTarget(new GatewayAddress(host, port), framing, unitId, profile, name, TIMEOUT);
  }

  @Test
  void aConfiguredGatewayIsReadThroughItsPollersConnection() throws Exception {
    try (MeterSimulator sim =
            MeterSimulator.start(SimulatorOptions.defaults().withPort(0).withUnitIds(Set.of(1)));
        BusConnection polled =
            new BusConnection(
                new GatewayConfig("127.0.0.1", sim.port(), Framing.TCP, Duration.ZERO),
                ConnectionPolicy.polling(Duration.ZERO, TIMEOUT),
                TimeSource.system());
        MeterProbes probes =
            new MeterProbes(
                Map.of(
                    (GatewayAddress) polled.address(),
                    new MeterProbes.SharedGateway(polled, Framing.TCP, TimeSource.system())),
                TimeSource.system())) {
      MeterState state = probes.probe(target(sim.port(), Framing.TCP, 1, "house"));
      assertThat(state.status().up()).as(state.status().lastError()).isTrue();
      assertThat(polled.isConnected())
          .as("the probe opened the poller's connection, not one of its own")
          .isTrue();
      assertThat(probes.ownGateways()).isEmpty();
      // the identity is read once per connection: a second probe sends only the two value reads
      long before = sim.requestCount();
      probes.probe(target(sim.port(), Framing.TCP, 1, "house"));
      assertThat(sim.requestCount() - before).isEqualTo(2);

      assertThatThrownBy(() -> probes.probe(target(sim.port(), Framing.RTU_OVER_TCP, 1, "house")))
          .isInstanceOf(MeterProbes.FramingConflictException.class)
          .hasMessageContaining("framing=rtu-over-tcp differs from framing tcp")
          .hasMessageContaining("config file");
    }
  }

  @Test
  void anIpv6GatewayFromTheConfigIsProbedThroughItsPollersConnectionWhateverItsSpelling()
      throws Exception {
    assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
    try (MeterSimulator sim =
            MeterSimulator.start(
                SimulatorOptions.defaults().withHost("::1").withPort(0).withUnitIds(Set.of(1)));
        BusConnection polled =
            new BusConnection(
                GatewayConfig.parseHostPort("[::1]:" + sim.port()).withFraming(Framing.TCP),
                ConnectionPolicy.polling(Duration.ZERO, TIMEOUT),
                TimeSource.system());
        MeterProbes probes =
            new MeterProbes(
                Map.of(
                    (GatewayAddress) polled.address(),
                    new MeterProbes.SharedGateway(polled, Framing.TCP, TimeSource.system())),
                TimeSource.system())) {
      // /probe?target=[::1]:PORT and the config's host: "::1" name one gateway: a second
      // connection would be a second master on its RS485 line
      MeterState state = probes.probe(target("[::1]", sim.port(), Framing.TCP, 1, "house"));
      assertThat(state.status().up()).as(state.status().lastError()).isTrue();
      assertThat(polled.isConnected()).isTrue();
      assertThat(probes.ownGateways()).isEmpty();
      assertThat(polled.address()).hasToString("[::1]:" + sim.port());
    }
  }

  @SuppressWarnings("AddressSelection") // a literal address: there is no name to resolve
  private static boolean ipv6LoopbackWorks() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theOldestOwnConnectionIsClosedWhenTooManyGatewaysAreProbed() throws Exception {
    List<Integer> closedPorts = FreePort.distinctOnLoopback(MeterProbes.MAX_OWN_CONNECTIONS + 1);
    try (MeterProbes probes = new MeterProbes(Map.of(), TimeSource.system())) {
      for (int port : closedPorts) {
        MeterState state = probes.probe(target(port, Framing.TCP, 1, "m" + port));
        assertThat(state.status().up()).isFalse();
        assertThat(state.status().errors().get(FaultReason.CONNECTION)).isEqualTo(1);
      }
      assertThat(probes.ownGateways())
          .hasSize(MeterProbes.MAX_OWN_CONNECTIONS)
          .doesNotContain(new GatewayAddress("127.0.0.1", closedPorts.get(0)))
          .contains(new GatewayAddress("127.0.0.1", closedPorts.get(closedPorts.size() - 1)));
    }
  }
}
