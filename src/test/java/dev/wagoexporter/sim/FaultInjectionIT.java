package dev.wagoexporter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.testsupport.Crc16Reference;
import dev.wagoexporter.testsupport.Timeouts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each fault as a client sees it: on raw bytes, and through the library's client where it can tell.
 */
class FaultInjectionIT {
  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2026-03-01T07:00:00Z"), ZoneOffset.UTC);
  private static final Duration WAIT = Timeouts.scaled(Duration.ofMillis(600));

  /** The faults of the simulator started last: each simulator starts with its own, unarmed. */
  private FaultInjector faults = new FaultInjector();

  private MeterSimulator start(Framing framing) throws Exception {
    faults = new FaultInjector();
    return MeterSimulator.start(
        SimulatorOptions.defaults().withFraming(framing).withClock(FIXED), faults);
  }

  private static byte[] request(Framing framing, int tid) {
    return framing == Framing.TCP
        ? RawModbusSocket.tcpRead(tid, 1, 0x5000, 4)
        : RawModbusSocket.rtuRead(1, 0x5000, 4);
  }

  private static int replyLength(Framing framing) {
    return framing == Framing.TCP ? 9 + 8 : 5 + 8;
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void delayedReplyArrivesLateOnTheSameConnectionAndBeforeTheNextOne(Framing framing)
      throws Exception {
    try (var sim = start(framing);
        var raw = new RawModbusSocket(sim.port())) {
      faults.setDelay(Duration.ofMillis(700));
      faults.inject(Fault.DELAY, 1);
      long t0 = System.nanoTime();
      raw.send(request(framing, 1));
      assertThat(raw.readAvailable(Duration.ofMillis(300)))
          .as("nothing before the delay")
          .isEmpty();
      raw.send(request(framing, 2)); // a client that gave up and asked again
      byte[] late = raw.read(replyLength(framing), Duration.ofSeconds(2));
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(650));
      byte[] next = raw.read(replyLength(framing), Duration.ofSeconds(2));
      if (framing == Framing.TCP) {
        assertThat(late[1]).as("the late reply answers the first request").isEqualTo((byte) 1);
        assertThat(next[1]).isEqualTo((byte) 2);
      } else {
        assertThat(Crc16Reference.valid(late)).isTrue();
        assertThat(Crc16Reference.valid(next)).isTrue();
      }
      assertThat(sim.requestCount()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void silenceTimesTheClientOutOnceThenTheMeterAnswersAgain(Framing framing) throws Exception {
    try (var sim = start(framing)) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), Duration.ofMillis(400));
      try {
        faults.inject(Fault.SILENCE, 1);
        assertThatThrownBy(
                () -> client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2)))
            .isInstanceOf(ModbusTimeoutException.class);
        assertThat(
                client
                    .readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2))
                    .registers())
            .hasSize(4);
        assertThat(faults.pending()).isZero();
      } finally {
        client.disconnect();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void garbageReplacesTheReplyWithBytesOfTheSameLength(Framing framing) throws Exception {
    try (var sim = start(framing);
        var raw = new RawModbusSocket(sim.port())) {
      raw.send(request(framing, 3));
      byte[] good = raw.read(replyLength(framing), WAIT);
      faults.inject(Fault.GARBAGE, 1);
      raw.send(request(framing, 3));
      byte[] garbage = raw.read(replyLength(framing), WAIT);
      assertThat(garbage).isNotEqualTo(good);
      assertThat(raw.readAvailable(Duration.ofMillis(100))).isEmpty();
    }
  }

  @Test
  void badCrcOnRtuIsAValidFrameWithAWrongChecksum() throws Exception {
    try (var sim = start(Framing.RTU_OVER_TCP);
        var raw = new RawModbusSocket(sim.port())) {
      faults.inject(Fault.BAD_CRC, 1);
      raw.send(request(Framing.RTU_OVER_TCP, 0));
      byte[] reply = raw.read(replyLength(Framing.RTU_OVER_TCP), WAIT);
      assertThat(reply[0]).isEqualTo((byte) 1);
      assertThat(reply[1]).isEqualTo((byte) 3);
      assertThat(Crc16Reference.valid(reply)).isFalse();
    }
  }

  @Test
  void badCrcOnTcpIsAWrongTransactionIdSoTheLibraryClientTimesOut() throws Exception {
    try (var sim = start(Framing.TCP);
        var raw = new RawModbusSocket(sim.port())) {
      faults.inject(Fault.BAD_CRC, 1);
      raw.send(request(Framing.TCP, 0x0102));
      byte[] reply = raw.read(replyLength(Framing.TCP), WAIT);
      assertThat(((reply[0] & 0xFF) << 8) | (reply[1] & 0xFF)).isNotEqualTo(0x0102);
    }
    try (var sim = start(Framing.TCP)) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), Duration.ofMillis(400));
      try {
        faults.inject(Fault.BAD_CRC, 1);
        assertThatThrownBy(
                () -> client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2)))
            .isInstanceOf(ModbusTimeoutException.class);
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void exceptionFaultAnswersWithTheChosenCode() throws Exception {
    try (var sim = start(Framing.TCP)) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), WAIT);
      try {
        faults.setExceptionCode(0x0B);
        faults.inject(Fault.EXCEPTION, 2);
        for (int i = 0; i < 2; i++) {
          assertThatThrownBy(
                  () -> client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2)))
              .isInstanceOfSatisfying(
                  ModbusResponseException.class,
                  e -> assertThat(e.getExceptionCode()).isEqualTo(0x0B));
        }
        assertThat(
                client
                    .readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2))
                    .registers())
            .hasSize(4);
      } finally {
        client.disconnect();
      }
    }
    try (var sim = start(Framing.RTU_OVER_TCP);
        var raw = new RawModbusSocket(sim.port())) {
      faults.inject(Fault.EXCEPTION, 1);
      raw.send(request(Framing.RTU_OVER_TCP, 0));
      byte[] reply = raw.read(5, WAIT);
      assertThat(Arrays.copyOf(reply, 3)).containsExactly(1, 0x83, 4);
      assertThat(Crc16Reference.valid(reply)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void dropConnectionClosesTheSocketAndANewConnectionIsServed(Framing framing) throws Exception {
    try (var sim = start(framing)) {
      try (var raw = new RawModbusSocket(sim.port())) {
        faults.inject(Fault.DROP_CONNECTION, 1);
        raw.send(request(framing, 1));
        assertThat(raw.closedByPeer(Duration.ofSeconds(1))).isTrue();
      }
      try (var again = new RawModbusSocket(sim.port())) {
        again.send(request(framing, 2));
        assertThat(again.read(replyLength(framing), Duration.ofSeconds(1)))
            .hasSize(replyLength(framing));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void halfOpenKeepsTheSocketButNeverAnswersOnItAgain(Framing framing) throws Exception {
    try (var sim = start(framing)) {
      try (var raw = new RawModbusSocket(sim.port())) {
        faults.inject(Fault.HALF_OPEN, 1);
        raw.send(request(framing, 1));
        assertThat(raw.readAvailable(Duration.ofMillis(300))).isEmpty();
        raw.send(request(framing, 2));
        assertThat(raw.closedByPeer(Duration.ofMillis(300)))
            .as("still open, still silent")
            .isFalse();
        assertThat(sim.requestCount()).as("the second request was never read").isEqualTo(1);
      }
      // once the client gives up on that socket, a new connection is served (RTU allows one at a
      // time)
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                try (var again = new RawModbusSocket(sim.port())) {
                  again.send(request(framing, 3));
                  assertThat(again.read(replyLength(framing), Duration.ofMillis(500)))
                      .hasSize(replyLength(framing));
                }
              });
    }
  }

  @Test
  void faultUntilClearedLastsUntilCleared() throws Exception {
    try (var sim = start(Framing.TCP)) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), Duration.ofMillis(250));
      try {
        faults.injectUntilCleared(Fault.SILENCE);
        for (int i = 0; i < 3; i++) {
          assertThatThrownBy(
                  () -> client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2)))
              .isInstanceOf(ModbusTimeoutException.class);
        }
        faults.clear();
        assertThat(
                client
                    .readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x5000, 2))
                    .registers())
            .hasSize(4);
        assertThat(sim.requestCount()).isEqualTo(4);
      } finally {
        client.disconnect();
      }
    }
  }
}
