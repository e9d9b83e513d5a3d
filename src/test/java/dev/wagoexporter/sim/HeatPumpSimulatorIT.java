package dev.wagoexporter.sim;

import static dev.wagoexporter.sim.SimulatedHeatPump.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.testsupport.Crc16Reference;
import dev.wagoexporter.testsupport.Timeouts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A line with two devices: the meter at unit 2 and the heat pump at unit 5, read and written by the
 * library's own client in both framings. The heat pump stores writes; the meter refuses them.
 */
class HeatPumpSimulatorIT {
  static final int METER = 2;
  static final int HEAT_PUMP = 5;
  private static final Duration TIMEOUT = Timeouts.scaled(Duration.ofMillis(800));

  static MeterSimulator start(Framing framing) throws Exception {
    return MeterSimulator.start(
        SimulatorOptions.defaults()
            .withFraming(framing)
            .withUnitIds(Set.of(METER))
            .withHeatPumpUnit(HEAT_PUMP));
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void everyTableReadsAsTheHeatPumpHoldsIt(Framing framing) throws Exception {
    try (var sim = start(framing)) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), TIMEOUT);
      try {
        SimulatedHeatPump pump = sim.heatPump(HEAT_PUMP);
        pump.setInputRegister(FLOW_TEMPERATURE, 361); // a value the test chose, not a default

        int[] input =
            registers(
                client
                    .readInputRegisters(HEAT_PUMP, new ReadInputRegistersRequest(0, 14))
                    .registers());
        for (int address = 0; address < 14; address++) {
          assertThat(input[address]).as("input %d", address).isEqualTo(pump.inputRegister(address));
        }
        assertThat(input[FLOW_TEMPERATURE]).isEqualTo(361);
        assertThat((short) input[OUTDOOR_TEMPERATURE]).as("signed 0.1 °C").isEqualTo((short) -25);

        int[] holding =
            registers(
                client
                    .readHoldingRegisters(HEAT_PUMP, new ReadHoldingRegistersRequest(0, 10))
                    .registers());
        for (int address = 0; address < 10; address++) {
          assertThat(holding[address])
              .as("holding %d", address)
              .isEqualTo(pump.holdingRegister(address));
        }
        assertThat(holding[TARGET_TEMPERATURE]).isEqualTo(350);

        pump.setCoil(2, true);
        byte[] coils = client.readCoils(HEAT_PUMP, new ReadCoilsRequest(0, 10)).coils();
        assertThat(coils).containsExactly(0b0000_0101, 0); // coil 0 (power) and 2, LSB first
        byte[] inputs =
            client.readDiscreteInputs(HEAT_PUMP, new ReadDiscreteInputsRequest(0, 4)).inputs();
        assertThat(inputs).containsExactly(0b1010); // water pump (1) and compressor (3)

        assertThat(sim.requestCount(HEAT_PUMP)).isEqualTo(4);
        assertThat(sim.requestCount(METER)).isZero();
        assertThat(sim.writesTo(HEAT_PUMP)).isEmpty();
      } finally {
        client.disconnect();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void writesAreStoredAndListedPerUnit(Framing framing) throws Exception {
    try (var sim = start(framing)) {
      ModbusClient client = ModbusClients.connect(framing, sim.port(), TIMEOUT);
      try {
        client.writeSingleCoil(HEAT_PUMP, new WriteSingleCoilRequest(POWER, false));
        client.writeSingleRegister(
            HEAT_PUMP, new WriteSingleRegisterRequest(TARGET_TEMPERATURE, 420));
        client.writeMultipleCoils(
            HEAT_PUMP, new WriteMultipleCoilsRequest(4, 3, new byte[] {0b101}));
        client.writeMultipleRegisters(
            HEAT_PUMP,
            new WriteMultipleRegistersRequest(OPERATING_MODE, 2, new byte[] {0, 3, 0, 1}));
        SimulatedHeatPump pump = sim.heatPump(HEAT_PUMP);
        assertThat(pump.coil(POWER)).isFalse();
        assertThat(pump.holdingRegister(TARGET_TEMPERATURE)).isEqualTo(420);
        assertThat(List.of(pump.coil(4), pump.coil(5), pump.coil(6)))
            .containsExactly(true, false, true);
        assertThat(pump.holdingRegister(OPERATING_MODE)).isEqualTo(3);
        assertThat(pump.holdingRegister(CONTROL_METHOD)).isEqualTo(1);
        // read back over the wire too
        assertThat(
                registers(
                    client
                        .readHoldingRegisters(
                            HEAT_PUMP, new ReadHoldingRegistersRequest(TARGET_TEMPERATURE, 1))
                        .registers()))
            .containsExactly(420);

        assertThat(sim.writesTo(HEAT_PUMP))
            .containsExactly(
                new WriteAttempt(HEAT_PUMP, 5, POWER, List.of(0), true),
                new WriteAttempt(HEAT_PUMP, 6, TARGET_TEMPERATURE, List.of(420), true),
                new WriteAttempt(HEAT_PUMP, 15, 4, List.of(1, 0, 1), true),
                new WriteAttempt(HEAT_PUMP, 16, OPERATING_MODE, List.of(3, 1), true));
        assertThat(sim.writesTo(METER)).isEmpty();
      } finally {
        client.disconnect();
      }
    }
  }

  /**
   * Raw bytes, not the library's client: its 2.1.4 RTU client misreads an FC06 exception reply
   * (takes the function byte 0x86 for the exception code), while the wire carries {@code 02 86 01}.
   */
  @ParameterizedTest
  @EnumSource(
      value = Framing.class,
      names = {"TCP", "RTU_OVER_TCP"})
  void theMetersUnitStillRefusesWrites(Framing framing) throws Exception {
    try (var sim = start(framing);
        var raw = new RawModbusSocket(sim.port())) {
      byte[] reply;
      if (framing == Framing.TCP) {
        raw.send(RawModbusSocket.tcpRequest(0x0102, METER, 6, 0x4003, 10)); // Modbus id := 10
        reply = raw.readTcpFrame(TIMEOUT);
        assertThat(reply).containsExactly(0x01, 0x02, 0, 0, 0, 3, METER, 0x86, 0x01);
      } else {
        raw.send(Crc16Reference.withCrc(new byte[] {METER, 6, 0x40, 0x03, 0, 10}));
        reply = raw.read(5, TIMEOUT);
        assertThat(reply).startsWith(METER, 0x86, 0x01);
        assertThat(Crc16Reference.valid(reply)).isTrue();
      }
      assertThat(sim.writesTo(METER))
          .containsExactly(new WriteAttempt(METER, 6, 0x4003, List.of(10), false));
      assertThat(sim.meter(METER).registerAt(0x4003)).isEqualTo(METER);
      assertThat(sim.writesTo(HEAT_PUMP)).isEmpty();
    }
  }

  @Test
  void outsideItsTablesTheHeatPumpAnswersIllegalAddressAndStoresNothing() throws Exception {
    try (var sim = start(Framing.TCP)) {
      ModbusClient client = ModbusClients.connect(Framing.TCP, sim.port(), TIMEOUT);
      try {
        assertThatThrownBy(
                () ->
                    client.readInputRegisters(
                        HEAT_PUMP, new ReadInputRegistersRequest(TABLE_SIZE - 1, 2)))
            .isInstanceOfSatisfying(
                ModbusResponseException.class, e -> assertThat(e.getExceptionCode()).isEqualTo(2));
        assertThatThrownBy(
                () ->
                    client.writeSingleRegister(
                        HEAT_PUMP, new WriteSingleRegisterRequest(TABLE_SIZE, 1)))
            .isInstanceOfSatisfying(
                ModbusResponseException.class, e -> assertThat(e.getExceptionCode()).isEqualTo(2));
        assertThat(sim.writesTo(HEAT_PUMP)).isEmpty();
      } finally {
        client.disconnect();
      }
    }
  }

  static int[] registers(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int[] registers = new int[bytes.length / 2];
    for (int i = 0; i < registers.length; i++) {
      registers[i] = buffer.getShort() & 0xFFFF;
    }
    return registers;
  }
}
