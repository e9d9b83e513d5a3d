package dev.wagoexporter.sim;

import com.digitalpetri.modbus.MbapHeader;
import com.digitalpetri.modbus.ModbusTcpFrame;
import com.digitalpetri.modbus.server.ModbusRequestContext.ModbusTcpRequestContext;
import com.digitalpetri.modbus.server.ModbusTcpServerTransport;
import java.nio.ByteBuffer;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link SimulatedWire} for Modbus TCP (MBAP header, no CRC): a gateway in protocol-conversion
 * mode.
 */
final class SimulatedTcpWire extends SimulatedWire<ModbusTcpRequestContext, ModbusTcpFrame>
    implements ModbusTcpServerTransport {

  SimulatedTcpWire(
      ModbusTcpServerTransport netty,
      Set<Integer> unitIds,
      RequestLog log,
      LineFaults faults,
      ReplyShaping shaping,
      @Nullable LineTiming lineTiming) {
    super(netty, unitIds, log, faults, shaping, lineTiming);
  }

  @Override
  int unitId(ModbusTcpFrame frame) {
    return frame.header().unitId();
  }

  @Override
  int transactionId(ModbusTcpFrame frame) {
    return frame.header().transactionId();
  }

  @Override
  ByteBuffer pdu(ModbusTcpFrame frame) {
    return frame.pdu();
  }

  @Override
  ModbusTcpFrame repaired(ModbusTcpFrame reply) {
    return reply;
  }

  @Override
  ModbusTcpFrame exceptionReply(ModbusTcpFrame request, int functionCode, int exceptionCode) {
    var header = new MbapHeader(request.header().transactionId(), 0, 3, request.header().unitId());
    byte[] pdu = {(byte) (functionCode | 0x80), (byte) exceptionCode};
    return new ModbusTcpFrame(header, ByteBuffer.wrap(pdu));
  }
}
