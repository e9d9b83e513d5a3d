package dev.wagoexporter.sim;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.UnknownUnitIdException;
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
import java.util.Map;

/**
 * Answers like a WAGO meter: FC03 from the register image, with the range checks that the library's
 * 2.1.4 server lacks (bug #160: it would answer any range); every other read and every write is
 * refused with exception 01 and nothing changes. A unit id with no meter gets no reply, as on an
 * RS485 bus.
 */
final class WagoMeterServices implements ModbusServices {
  private final Map<Integer, SimulatedMeter> meters;
  private final RequestLog log;

  WagoMeterServices(Map<Integer, SimulatedMeter> meters, RequestLog log) {
    this.meters = Map.copyOf(meters);
    this.log = log;
  }

  @Override
  public ReadHoldingRegistersResponse readHoldingRegisters(
      ModbusRequestContext context, int unitId, ReadHoldingRegistersRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    SimulatedMeter meter = meterAt(unitId);
    int fc = FunctionCode.READ_HOLDING_REGISTERS.getCode();
    // quantity 0 or > 125 -> 03, beyond 0xFFFF -> 02
    ModbusServices.checkRegisterRange(fc, request.address(), request.quantity());
    if (!WagoRegisterMap.covers(request.address(), request.quantity())) {
      throw new ModbusResponseException(fc, ExceptionCode.ILLEGAL_DATA_ADDRESS.getCode());
    }
    return new ReadHoldingRegistersResponse(meter.read(request.address(), request.quantity()));
  }

  @Override
  public ReadInputRegistersResponse readInputRegisters(
      ModbusRequestContext context, int unitId, ReadInputRegistersRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    meterAt(unitId);
    throw illegalFunction(FunctionCode.READ_INPUT_REGISTERS);
  }

  @Override
  public ReadCoilsResponse readCoils(
      ModbusRequestContext context, int unitId, ReadCoilsRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    meterAt(unitId);
    throw illegalFunction(FunctionCode.READ_COILS);
  }

  @Override
  public ReadDiscreteInputsResponse readDiscreteInputs(
      ModbusRequestContext context, int unitId, ReadDiscreteInputsRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    meterAt(unitId);
    throw illegalFunction(FunctionCode.READ_DISCRETE_INPUTS);
  }

  @Override
  public WriteSingleCoilResponse writeSingleCoil(
      ModbusRequestContext context, int unitId, WriteSingleCoilRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId,
        FunctionCode.WRITE_SINGLE_COIL,
        request.address(),
        List.of(request.value() == 0 ? 0 : 1));
  }

  @Override
  public WriteSingleRegisterResponse writeSingleRegister(
      ModbusRequestContext context, int unitId, WriteSingleRegisterRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId, FunctionCode.WRITE_SINGLE_REGISTER, request.address(), List.of(request.value()));
  }

  @Override
  public WriteMultipleCoilsResponse writeMultipleCoils(
      ModbusRequestContext context, int unitId, WriteMultipleCoilsRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId,
        FunctionCode.WRITE_MULTIPLE_COILS,
        request.address(),
        WriteAttempt.coilValues(request.values(), request.quantity()));
  }

  @Override
  public WriteMultipleRegistersResponse writeMultipleRegisters(
      ModbusRequestContext context, int unitId, WriteMultipleRegistersRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId,
        FunctionCode.WRITE_MULTIPLE_REGISTERS,
        request.address(),
        WriteAttempt.registerValues(request.values()));
  }

  @Override
  public MaskWriteRegisterResponse maskWriteRegister(
      ModbusRequestContext context, int unitId, MaskWriteRegisterRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId,
        FunctionCode.MASK_WRITE_REGISTER,
        request.address(),
        List.of(request.andMask(), request.orMask()));
  }

  @Override
  public ReadWriteMultipleRegistersResponse readWriteMultipleRegisters(
      ModbusRequestContext context, int unitId, ReadWriteMultipleRegistersRequest request)
      throws ModbusResponseException, UnknownUnitIdException {
    throw refuseWrite(
        unitId,
        FunctionCode.READ_WRITE_MULTIPLE_REGISTERS,
        request.writeAddress(),
        WriteAttempt.registerValues(request.values()));
  }

  private SimulatedMeter meterAt(int unitId) throws UnknownUnitIdException {
    SimulatedMeter meter = meters.get(unitId);
    if (meter == null) {
      throw new UnknownUnitIdException(unitId); // the transport sends nothing back
    }
    return meter;
  }

  private ModbusResponseException refuseWrite(
      int unitId, FunctionCode fc, int address, List<Integer> values)
      throws UnknownUnitIdException {
    meterAt(unitId);
    log.recordWrite(new WriteAttempt(unitId, fc.getCode(), address, values, false));
    return illegalFunction(fc);
  }

  private static ModbusResponseException illegalFunction(FunctionCode fc) {
    return new ModbusResponseException(fc, ExceptionCode.ILLEGAL_FUNCTION);
  }
}
