package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.poll.PollError;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A port that takes the connection and never answers (a web server's, by mistake) is told from a
 * gateway that has answered and whose meter did not answer this time: the status page and {@code
 * check} give each its own hint.
 */
class NothingAnsweredIT {
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofSeconds(2));
  private static final Duration BACKOFF = Duration.ofMillis(100);

  @Test
  void aWebServersPortIsNothingAnsweredAndMayNotBeTheModbusPort() throws Exception {
    // a real HTTP server: it waits for a request line that a Modbus frame never ends
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.start();
    GatewayAddress address = new GatewayAddress("127.0.0.1", web.getAddress().getPort());
    try (BusConnection line =
        new BusConnection(
            new GatewayConfig(address, Framing.RTU_OVER_TCP, Duration.ZERO),
            ConnectionPolicy.polling(Duration.ZERO, BACKOFF),
            TimeSource.system())) {
      NothingAnsweredException e =
          catchThrowableOfType(
              () -> line.read(new ReadRequest(1, 3, 0x5002, 2, TIMEOUT)),
              NothingAnsweredException.class);
      assertThat(e.failure()).as("still counted as a timeout").isEqualTo(FaultReason.TIMEOUT);
      assertThat(line.everAnswered()).isFalse();
      assertThat(PollError.of(e).hint())
          .startsWith("nothing has ever answered on this port")
          .contains("may not be the gateway's Modbus port");
    } finally {
      web.stop(0);
    }
  }

  @Test
  void aGatewayThatAnsweredBeforeBlamesTheSilentMeter() throws Exception {
    try (MeterSimulator sim =
            MeterSimulator.start(
                SimulatorOptions.defaults()
                    .withFraming(Framing.RTU_OVER_TCP)
                    .withUnitIds(Set.of(1)));
        BusConnection line =
            new BusConnection(
                new GatewayConfig("127.0.0.1", sim.port(), Framing.RTU_OVER_TCP, Duration.ZERO),
                ConnectionPolicy.polling(Duration.ZERO, BACKOFF),
                TimeSource.system())) {
      assertThat(line.read(new ReadRequest(1, 3, 0x5002, 2, TIMEOUT))).hasSize(4);
      ModbusReadException e =
          catchThrowableOfType(
              () -> line.read(new ReadRequest(7, 3, 0x5002, 2, TIMEOUT)),
              ModbusReadException.class);
      assertThat(e).isNotInstanceOf(NothingAnsweredException.class);
      assertThat(e.failure()).isEqualTo(FaultReason.TIMEOUT);
      assertThat(line.everAnswered()).isTrue();
      assertThat(PollError.of(e).hint())
          .startsWith("the line has answered before, this request was not")
          .doesNotContain("Modbus port");
    }
  }
}
