package dev.wagoexporter.sim;

import static dev.wagoexporter.modbus.ModbusLimits.MAX_READ_BITS;
import static dev.wagoexporter.modbus.ModbusLimits.MAX_READ_REGISTERS;
import static dev.wagoexporter.modbus.ModbusLimits.MAX_WRITE_COILS;
import static dev.wagoexporter.modbus.ModbusLimits.MAX_WRITE_REGISTERS;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.MaskWriteRegisterRequest;
import com.digitalpetri.modbus.pdu.MaskWriteRegisterResponse;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadWriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadWriteMultipleRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsResponse;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilResponse;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import java.util.List;

/**
 * Answers like the heat pump: reads of coils, discrete inputs, input and holding registers inside
 * its tables (exception 02 outside, 03 for a bad quantity; checked here because the library's own
 * process image answers any range), and writes of coils and holding registers (05, 06, 15, 16),
 * stored and logged. Mask write (22) and read/write (23) get exception 01, logged as refused.
 */
final class HeatPumpServices implements ModbusServices {
  private static final int COIL_ON = 0xFF00;

  private final SimulatedHeatPump pump;
  private final RequestLog log;

  HeatPumpServices(SimulatedHeatPump pump, RequestLog log) {
    this.pump = pump;
    this.log = log;
  }

  @Override
  public ReadCoilsResponse readCoils(
      ModbusRequestContext context, int unitId, ReadCoilsRequest request)
      throws ModbusResponseException {
    check(FunctionCode.READ_COILS, request.address(), request.quantity(), MAX_READ_BITS);
    return new ReadCoilsResponse(packed(pump.coils(request.address(), request.quantity())));
  }

  @Override
  public ReadDiscreteInputsResponse readDiscreteInputs(
      ModbusRequestContext context, int unitId, ReadDiscreteInputsRequest request)
      throws ModbusResponseException {
    check(FunctionCode.READ_DISCRETE_INPUTS, request.address(), request.quantity(), MAX_READ_BITS);
    return new ReadDiscreteInputsResponse(
        packed(pump.discreteInputs(request.address(), request.quantity())));
  }

  @Override
  public ReadHoldingRegistersResponse readHoldingRegisters(
      ModbusRequestContext context, int unitId, ReadHoldingRegistersRequest request)
      throws ModbusResponseException {
    check(
        FunctionCode.READ_HOLDING_REGISTERS,
        request.address(),
        request.quantity(),
        MAX_READ_REGISTERS);
    return new ReadHoldingRegistersResponse(
        bytes(pump.holdingRegisters(request.address(), request.quantity())));
  }

  @Override
  public ReadInputRegistersResponse readInputRegisters(
      ModbusRequestContext context, int unitId, ReadInputRegistersRequest request)
      throws ModbusResponseException {
    check(
        FunctionCode.READ_INPUT_REGISTERS,
        request.address(),
        request.quantity(),
        MAX_READ_REGISTERS);
    return new ReadInputRegistersResponse(
        bytes(pump.inputRegisters(request.address(), request.quantity())));
  }

  @Override
  public WriteSingleCoilResponse writeSingleCoil(
      ModbusRequestContext context, int unitId, WriteSingleCoilRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.WRITE_SINGLE_COIL;
    if (request.value() != 0 && request.value() != COIL_ON) {
      throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_DATA_VALUE);
    }
    check(fc, request.address(), 1, 1);
    boolean on = request.value() == COIL_ON;
    pump.writeCoils(request.address(), new boolean[] {on});
    log.recordWrite(
        new WriteAttempt(unitId, fc.getCode(), request.address(), List.of(on ? 1 : 0), true));
    return new WriteSingleCoilResponse(request.address(), request.value());
  }

  @Override
  public WriteSingleRegisterResponse writeSingleRegister(
      ModbusRequestContext context, int unitId, WriteSingleRegisterRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.WRITE_SINGLE_REGISTER;
    check(fc, request.address(), 1, 1);
    int value = request.value() & 0xFFFF;
    pump.writeHoldingRegisters(request.address(), new int[] {value});
    log.recordWrite(
        new WriteAttempt(unitId, fc.getCode(), request.address(), List.of(value), true));
    return new WriteSingleRegisterResponse(request.address(), value);
  }

  @Override
  public WriteMultipleCoilsResponse writeMultipleCoils(
      ModbusRequestContext context, int unitId, WriteMultipleCoilsRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.WRITE_MULTIPLE_COILS;
    check(fc, request.address(), request.quantity(), MAX_WRITE_COILS);
    List<Integer> bits = WriteAttempt.coilValues(request.values(), request.quantity());
    boolean[] values = new boolean[bits.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = bits.get(i) == 1;
    }
    pump.writeCoils(request.address(), values);
    log.recordWrite(new WriteAttempt(unitId, fc.getCode(), request.address(), bits, true));
    return new WriteMultipleCoilsResponse(request.address(), request.quantity());
  }

  @Override
  public WriteMultipleRegistersResponse writeMultipleRegisters(
      ModbusRequestContext context, int unitId, WriteMultipleRegistersRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.WRITE_MULTIPLE_REGISTERS;
    check(fc, request.address(), request.quantity(), MAX_WRITE_REGISTERS);
    List<Integer> registers = WriteAttempt.registerValues(request.values());
    pump.writeHoldingRegisters(
        request.address(), registers.stream().mapToInt(Integer::intValue).toArray());
    log.recordWrite(new WriteAttempt(unitId, fc.getCode(), request.address(), registers, true));
    return new WriteMultipleRegistersResponse(request.address(), request.quantity());
  }

  @Override
  public MaskWriteRegisterResponse maskWriteRegister(
      ModbusRequestContext context, int unitId, MaskWriteRegisterRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.MASK_WRITE_REGISTER;
    log.recordWrite(
        new WriteAttempt(
            unitId,
            fc.getCode(),
            request.address(),
            List.of(request.andMask(), request.orMask()),
            false));
    throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_FUNCTION);
  }

  @Override
  public ReadWriteMultipleRegistersResponse readWriteMultipleRegisters(
      ModbusRequestContext context, int unitId, ReadWriteMultipleRegistersRequest request)
      throws ModbusResponseException {
    FunctionCode fc = FunctionCode.READ_WRITE_MULTIPLE_REGISTERS;
    log.recordWrite(
        new WriteAttempt(
            unitId,
            fc.getCode(),
            request.writeAddress(),
            WriteAttempt.registerValues(request.values()),
            false));
    throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_FUNCTION);
  }

  /** Modbus order: a bad quantity is 03, a range outside the table 02. */
  private static void check(FunctionCode fc, int address, int quantity, int maxQuantity)
      throws ModbusResponseException {
    if (quantity < 1 || quantity > maxQuantity) {
      throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_DATA_VALUE);
    }
    if (!SimulatedHeatPump.covers(address, quantity)) {
      throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_DATA_ADDRESS);
    }
  }

  /** Bits packed as on the wire: the first in the lowest bit of the first byte. */
  private static byte[] packed(boolean[] bits) {
    byte[] bytes = new byte[(bits.length + 7) / 8];
    for (int i = 0; i < bits.length; i++) {
      if (bits[i]) {
        bytes[i / 8] |= (byte) (1 << (i % 8));
      }
    }
    return bytes;
  }

  private static byte[] bytes(int[] registers) {
    byte[] bytes = new byte[registers.length * 2];
    for (int i = 0; i < registers.length; i++) {
      bytes[2 * i] = (byte) (registers[i] >> 8);
      bytes[2 * i + 1] = (byte) registers[i];
    }
    return bytes;
  }
}
