package dev.wagoexporter.sim;

import com.digitalpetri.modbus.Crc16;
import com.digitalpetri.modbus.ModbusRtuFrame;
import com.digitalpetri.modbus.server.ModbusRequestContext.ModbusRtuRequestContext;
import com.digitalpetri.modbus.server.ModbusRtuServerTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@link SimulatedWire} for raw RTU frames with CRC over TCP: a gateway in transparent mode. */
final class SimulatedRtuWire extends SimulatedWire<ModbusRtuRequestContext, ModbusRtuFrame>
    implements ModbusRtuServerTransport {

  SimulatedRtuWire(
      ModbusRtuServerTransport netty,
      Set<Integer> unitIds,
      RequestLog log,
      LineFaults faults,
      ReplyShaping shaping,
      @Nullable LineTiming lineTiming) {
    super(netty, unitIds, log, faults, shaping, lineTiming);
  }

  @Override
  int unitId(ModbusRtuFrame frame) {
    return frame.unitId();
  }

  @Override
  int transactionId(ModbusRtuFrame frame) {
    return -1;
  }

  @Override
  ByteBuffer pdu(ModbusRtuFrame frame) {
    return frame.pdu();
  }

  /**
   * The 2.1.4 RTU server appends a wrong CRC to exception replies ({@code 01 83 02 7E 80} instead
   * of {@code 01 83 02 C0 F1}), which a real meter never does; every reply gets its CRC computed
   * again here.
   */
  @Override
  ModbusRtuFrame repaired(ModbusRtuFrame reply) {
    return frame(reply.unitId(), reply.pdu().slice());
  }

  @Override
  ModbusRtuFrame exceptionReply(ModbusRtuFrame request, int functionCode, int exceptionCode) {
    byte[] pdu = {(byte) (functionCode | 0x80), (byte) exceptionCode};
    return frame(request.unitId(), ByteBuffer.wrap(pdu));
  }

  private static ModbusRtuFrame frame(int unitId, ByteBuffer pdu) {
    var crc = new Crc16();
    crc.update(unitId);
    for (int i = pdu.position(); i < pdu.limit(); i++) {
      crc.update(pdu.get(i) & 0xFF);
    }
    ByteBuffer crcBytes =
        ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) crc.getValue());
    return new ModbusRtuFrame(unitId, pdu, crcBytes.flip());
  }
}
