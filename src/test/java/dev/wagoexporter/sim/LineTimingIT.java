package dev.wagoexporter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.LineTiming.Parity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LineTimingIT {

  @Test
  void wireTimesMatchTheRs485Arithmetic() {
    // (8 + 5 + 2*56) bytes * 11 bits / 9600 baud = 143.2 ms; 10 bits without parity = 130.2 ms
    assertThat(new LineTiming(9600, Parity.EVEN, Duration.ZERO).readDuration(56).toNanos() / 1e6)
        .isCloseTo(143.2, within(0.1));
    assertThat(new LineTiming(9600, Parity.NONE, Duration.ZERO).readDuration(56).toNanos() / 1e6)
        .isCloseTo(130.2, within(0.1));
    assertThat(
            new LineTiming(9600, Parity.ODD, Duration.ofMillis(5)).readDuration(125).toNanos()
                / 1e6)
        .isCloseTo(301.4 + 5, within(0.1));
    Duration poll = LineTiming.minimumPollDuration(LineTiming.factoryDefault(), 56, 72);
    assertThat(poll.toNanos() / 1e6).isCloseTo((125 + 157) * 11 / 9.6, within(0.1));
  }

  @Test
  void aPollOverTheSimulatedLineTakesAtLeastThePhysicalBound() throws Exception {
    var timing = new LineTiming(9600, Parity.EVEN, Duration.ofMillis(10));
    try (var sim =
        MeterSimulator.start(
            SimulatorOptions.defaults().withFraming(Framing.RTU_OVER_TCP).withLineTiming(timing))) {
      ModbusClient client =
          ModbusClients.connect(Framing.RTU_OVER_TCP, sim.port(), Duration.ofSeconds(2));
      try {
        client.readHoldingRegisters(
            1, new ReadHoldingRegistersRequest(0x5000, 2)); // warm up the JIT and pools
        long t0 = System.nanoTime();
        client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 56));
        client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x6000, 72));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Duration bound = LineTiming.minimumPollDuration(timing, 56, 72);
        assertThat(took).isGreaterThanOrEqualTo(bound);
        assertThat(took).as("no extra delay beyond the line").isLessThan(bound.plusMillis(400));
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void parityNamesParse() {
    assertThat(Parity.parse("Even").bitsPerByte()).isEqualTo(11);
    assertThat(Parity.parse("none").bitsPerByte()).isEqualTo(10);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parity.parse("mark"))
        .hasMessage("unknown parity 'mark' (use even, none or odd)");
  }
}
