package dev.wagoexporter.sim;

import static dev.wagoexporter.sim.WagoRegisterMap.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.testsupport.Crc16Reference;
import dev.wagoexporter.testsupport.Timeouts;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The simulator read over real loopback sockets by the library's own clients and by raw bytes. */
class MeterSimulatorInteropIT {
  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2026-01-15T18:30:00Z"), ZoneOffset.UTC);
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofMillis(800));

  private static MeterSimulator start(Framing framing, Set<Integer> units) throws Exception {
    return MeterSimulator.start(
        SimulatorOptions.defaults().withFraming(framing).withUnitIds(units).withClock(FIXED));
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void theLibraryClientReadsTheInstantaneousBlockAsTheMeterServesIt(Framing framing)
      throws Exception {
    try (var sim = start(framing, Set.of(2))) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), TIMEOUT);
      try {
        byte[] regs =
            client.readHoldingRegisters(2, new ReadHoldingRegistersRequest(0x5000, 56)).registers();
        assertThat(regs).hasSize(112);
        ByteBuffer buf = ByteBuffer.wrap(regs);
        SimulatedMeter meter = sim.meter(2);
        for (int address = 0x5000; address < 0x5038; address += 2) {
          assertThat(buf.getFloat((address - 0x5000) * 2))
              .as("0x%04X", address)
              .isEqualTo(meter.floatAt(address));
        }
        assertThat(buf.getFloat(VOLTAGE_L1 * 2 - 0x5000 * 2)).isBetween(228f, 238f);
        assertThat(buf.getFloat(FREQUENCY * 2 - 0x5000 * 2)).isBetween(49.9f, 50.1f);

        byte[] energy =
            client.readHoldingRegisters(2, new ReadHoldingRegistersRequest(0x6000, 72)).registers();
        assertThat(ByteBuffer.wrap(energy).getFloat(0))
            .isEqualTo(meter.floatAt(ACTIVE_ENERGY_TOTAL));
        assertThat(sim.requestCount()).isEqualTo(2);
        assertThat(sim.functionCodeCounts()).isEqualTo(Map.of(3, 2L));
      } finally {
        client.disconnect();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void identityBlockNamesTheMeter(Framing framing) throws Exception {
    try (var sim = start(framing, Set.of(7))) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), TIMEOUT);
      try {
        ByteBuffer id =
            ByteBuffer.wrap(
                client
                    .readHoldingRegisters(
                        7, new ReadHoldingRegistersRequest(0x4000, IDENTITY.size()))
                    .registers());
        assertThat(Integer.toHexString(id.getInt(0))).isEqualTo("22091039");
        assertThat(id.getShort(2 * (METER_CODE - 0x4000))).isEqualTo((short) 0x1112);
        assertThat(id.getShort(2 * (MODBUS_ID - 0x4000))).isEqualTo((short) 7);
        assertThat(id.getShort(2 * (BAUD_RATE_CODE - 0x4000))).isEqualTo((short) 6);
        assertThat(id.getFloat(2 * (PROTOCOL_VERSION - 0x4000))).isEqualTo(3.2f);
        assertThat(id.getFloat(2 * (SOFTWARE_VERSION - 0x4000))).isEqualTo(2.18f);
        assertThat(id.getFloat(2 * (HARDWARE_VERSION - 0x4000))).isEqualTo(1.32f);
        assertThat(id.getShort(2 * (COMBINATION_CODE - 0x4000))).isEqualTo((short) 3);
        assertThat(id.getShort(2 * (PARITY - 0x4000))).isEqualTo((short) 1);
        assertThat(id.getShort(2 * (DATA_FORMAT - 0x4000))).isEqualTo((short) 1);
        assertThat(id.getShort(2 * (0x4015 - 0x4000))).as("undocumented hole").isZero();
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void readsOutsideTheMapOrOverTheLimitGetTheExceptionsOfARealMeter() throws Exception {
    try (var sim = start(Framing.TCP, Set.of(1))) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), TIMEOUT);
      try {
        assertThat(exceptionCodeOf(client, 0x7000, 2)).as("no block there").isEqualTo(2);
        assertThat(exceptionCodeOf(client, 0x5030, 16)).as("runs past 0x5037").isEqualTo(2);
        assertThat(exceptionCodeOf(client, 0x3FFF, 2)).as("starts before 0x4000").isEqualTo(2);
        assertThat(exceptionCodeOf(client, 0x6000, 126)).as("quantity > 125").isEqualTo(3);
        assertThat(exceptionCodeOf(client, 0x6000, 0)).as("quantity 0").isEqualTo(3);
        assertThat(
                client
                    .readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x6000, 125))
                    .registers())
            .as("the largest legal read inside the energy block")
            .hasSize(250);
        assertThat(
                client
                    .readHoldingRegisters(1, new ReadHoldingRegistersRequest(0x6090, 1))
                    .registers())
            .as("last register of the map")
            .hasSize(2);
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void writesAndOtherFunctionsAreRefusedRecordedAndChangeNothing() throws Exception {
    try (var sim = start(Framing.TCP, Set.of(1))) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), TIMEOUT);
      try {
        int before = sim.meter(1).registerAt(MODBUS_ID);
        assertThatThrownBy(
                () -> client.writeSingleRegister(1, new WriteSingleRegisterRequest(MODBUS_ID, 10)))
            .isInstanceOfSatisfying(
                ModbusResponseException.class, e -> assertThat(e.getExceptionCode()).isEqualTo(1));
        assertThatThrownBy(
                () ->
                    client.writeMultipleRegisters(
                        1, new WriteMultipleRegistersRequest(DAY_COUNTER, 2, new byte[4])))
            .isInstanceOfSatisfying(
                ModbusResponseException.class, e -> assertThat(e.getExceptionCode()).isEqualTo(1));
        assertThatThrownBy(
                () -> client.readInputRegisters(1, new ReadInputRegistersRequest(0x5000, 2)))
            .isInstanceOfSatisfying(
                ModbusResponseException.class, e -> assertThat(e.getExceptionCode()).isEqualTo(1));

        assertThat(sim.meter(1).registerAt(MODBUS_ID)).isEqualTo(before);
        assertThat(sim.functionCodeCounts()).isEqualTo(Map.of(4, 1L, 6, 1L, 16, 1L));
        assertThat(sim.writeAttempts())
            .containsExactly(
                new WriteAttempt(1, 6, MODBUS_ID, List.of(10), false),
                new WriteAttempt(1, 16, DAY_COUNTER, List.of(0, 0), false));
      } finally {
        client.disconnect();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void unknownUnitIdsGetNoReplyButAreCounted(Framing framing) throws Exception {
    try (var sim = start(framing, Set.of(1))) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), Duration.ofMillis(300));
      try {
        assertThatThrownBy(
                () -> client.readHoldingRegisters(9, new ReadHoldingRegistersRequest(0x5000, 2)))
            .isInstanceOf(ModbusTimeoutException.class);
        assertThat(sim.requestCount()).isEqualTo(1);
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void rtuExceptionRepliesCarryTheRightCodeAndAValidCrc() throws Exception {
    // the library's RTU client reports a wrong exception code (documented bug), so the bytes are
    // checked here
    try (var sim = start(Framing.RTU_OVER_TCP, Set.of(1));
        var raw = new RawModbusSocket(sim.port())) {
      raw.send(RawModbusSocket.rtuRead(1, 0x7000, 2));
      byte[] reply = raw.read(5, TIMEOUT);
      assertThat(reply[0]).isEqualTo((byte) 1);
      assertThat(reply[1] & 0xFF).isEqualTo(0x83);
      assertThat(reply[2]).isEqualTo((byte) 2);
      assertThat(Crc16Reference.valid(reply))
          .as(java.util.HexFormat.of().formatHex(reply))
          .isTrue();

      raw.send(RawModbusSocket.rtuRead(1, 0x5012, 2));
      byte[] ok = raw.read(9, TIMEOUT);
      assertThat(Crc16Reference.valid(ok)).isTrue();
      assertThat(ByteBuffer.wrap(ok, 3, 4).getFloat())
          .isEqualTo(sim.meter(1).floatAt(ACTIVE_POWER_TOTAL));
    }
  }

  @Test
  void unsupportedFunctionCodesGetExceptionOneInsteadOfAClosedConnection() throws Exception {
    try (var sim = start(Framing.TCP, Set.of(1));
        var raw = new RawModbusSocket(sim.port())) {
      raw.send(new byte[] {0, 5, 0, 0, 0, 2, 1, 0x2B}); // FC 43: read device identification
      byte[] reply = raw.read(9, TIMEOUT);
      assertThat(reply[7] & 0xFF).isEqualTo(0x80 | 0x2B);
      assertThat(reply[8]).isEqualTo((byte) 1);
      assertThat(sim.functionCodeCounts()).containsEntry(0x2B, 1L);
    }
  }

  private static int exceptionCodeOf(ModbusClient client, int address, int quantity) {
    try {
      client.readHoldingRegisters(1, new ReadHoldingRegistersRequest(address, quantity));
      throw new AssertionError(String.format("read 0x%04X x%d succeeded", address, quantity));
    } catch (ModbusResponseException e) {
      return e.getExceptionCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
