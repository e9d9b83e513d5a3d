package dev.wagoexporter.sim;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.exceptions.UnknownUnitIdException;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusRequestContext.ModbusTcpRequestContext;
import com.digitalpetri.modbus.server.ModbusServerTransport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the library's Netty server transport: counts every request, answers function codes the
 * library cannot decode with exception 01 (2.1.4 would log an error and drop the connection),
 * applies the line's faults ({@link LineFaults}) and plans how each reply leaves ({@link
 * ReplyShaping}). Everything else is the library's own server.
 *
 * @param <C> request context type of the framing
 * @param <T> frame type of the framing
 */
abstract class SimulatedWire<C extends ModbusRequestContext, T>
    implements ModbusServerTransport<C, T> {
  /** Function codes the library's request serializer decodes: 01-06, 0F, 10, 16, 17. */
  private static final Set<Integer> LIBRARY_FUNCTION_CODES =
      Set.of(1, 2, 3, 4, 5, 6, 15, 16, 22, 23);

  /** Unit id and CRC around an RTU PDU: the size the request and reply take on the RS485 line. */
  private static final int RTU_OVERHEAD_BYTES = 3;

  private final ModbusServerTransport<C, T> netty;
  private final Set<Integer> unitIds;
  private final RequestLog log;
  private final LineFaults faults;
  private final ReplyShaping shaping;
  private final @Nullable LineTiming lineTiming;

  SimulatedWire(
      ModbusServerTransport<C, T> netty,
      Set<Integer> unitIds,
      RequestLog log,
      LineFaults faults,
      ReplyShaping shaping,
      @Nullable LineTiming lineTiming) {
    this.netty = netty;
    this.unitIds = Set.copyOf(unitIds);
    this.log = log;
    this.faults = faults;
    this.shaping = shaping;
    this.lineTiming = lineTiming;
  }

  abstract int unitId(T frame);

  /** The MBAP transaction id, or -1 where the framing has none. */
  abstract int transactionId(T frame);

  abstract ByteBuffer pdu(T frame);

  abstract T exceptionReply(T request, int functionCode, int exceptionCode);

  /** The library's reply, repaired where the library gets the framing wrong. */
  abstract T repaired(T reply);

  @Override
  public CompletionStage<Void> bind() {
    return netty.bind();
  }

  @Override
  public CompletionStage<Void> unbind() {
    return netty.unbind();
  }

  @Override
  public void receive(FrameReceiver<C, T> server) {
    netty.receive((context, request) -> answer(context, request, server));
  }

  private T answer(C context, T request, FrameReceiver<C, T> server) throws Exception {
    ByteBuffer requestPdu = pdu(request);
    int functionCode = requestPdu.get(requestPdu.position()) & 0xFF;
    int requestLineBytes =
        requestPdu.remaining() + RTU_OVERHEAD_BYTES; // before the server's decoder consumes it
    int unitId = unitId(request);
    log.recordRequest(unitId, functionCode);
    shaping.requestArrived(remoteAddress(context), transactionId(request));
    boolean onTheBus = unitIds.contains(unitId);

    T reply;
    if (LIBRARY_FUNCTION_CODES.contains(functionCode)) {
      reply = repaired(server.receive(context, request)); // UnknownUnitIdException: no reply at all
    } else if (onTheBus) {
      reply = exceptionReply(request, functionCode, ExceptionCode.ILLEGAL_FUNCTION.getCode());
    } else {
      throw new UnknownUnitIdException(unitId);
    }

    Fault fault = onTheBus ? faults.takeNext().orElse(null) : null;
    if (fault == Fault.EXCEPTION) {
      reply = exceptionReply(request, functionCode, faults.exceptionCode());
    }
    Duration holdBack =
        lineTiming == null
            ? Duration.ZERO
            : lineTiming.replyDelay(requestLineBytes, pdu(reply).remaining() + RTU_OVERHEAD_BYTES);
    if (fault == Fault.DELAY) {
      holdBack = holdBack.plus(faults.delay());
    }
    shaping.plan(remoteAddress(context), new ReplyPlan(fault, holdBack));
    return reply;
  }

  private static @Nullable SocketAddress remoteAddress(ModbusRequestContext context) {
    // the RTU-over-TCP context is a ModbusRtuTcpRequestContext, which is also a
    // ModbusTcpRequestContext
    return context instanceof ModbusTcpRequestContext tcp ? tcp.remoteAddress() : null;
  }
}
