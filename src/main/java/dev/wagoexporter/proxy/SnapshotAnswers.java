package dev.wagoexporter.proxy;

import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.poll.MeterPoller;
import dev.wagoexporter.poll.PolledRegisters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a proxy client's read of one of the exporter's own meters from the latest poll's raw
 * words, when that poll is fresh and read every register asked for, with the function code the poll
 * uses: no bus time (docs/design.md, "Snapshot answers"). Anything else goes out on the line.
 */
public final class SnapshotAnswers {
  /** No meters: every read is forwarded. */
  public static final SnapshotAnswers NONE = new SnapshotAnswers(List.of());

  private final Map<Integer, MeterPoller> byUnit = new HashMap<>();

  /** The pollers of the meters on the proxy's line. */
  public SnapshotAnswers(List<MeterPoller> meters) {
    meters.forEach(m -> byUnit.put(m.state().unitId(), m));
  }

  /** The reply PDU to a read request PDU of {@code unit}, or empty to forward it. */
  Optional<byte[]> answer(int unit, byte[] pdu) {
    MeterPoller meter = byUnit.get(unit);
    if (meter == null || pdu.length != 5) {
      return Optional.empty();
    }
    int function = pdu[0] & 0xFF;
    int address = ((pdu[1] & 0xFF) << 8) | (pdu[2] & 0xFF);
    int count = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
    if (count < 1 || count > ModbusLimits.MAX_READ_REGISTERS) {
      return Optional.empty(); // the device's own exception 03 is the faithful answer
    }
    Optional<PolledRegisters> polled = meter.freshRegisters();
    if (polled.isEmpty() || polled.get().functionCode() != function) {
      return Optional.empty();
    }
    return polled
        .get()
        .registers(address, count)
        .map(
            data -> {
              byte[] reply = new byte[2 + data.length];
              reply[0] = (byte) function;
              reply[1] = (byte) data.length;
              System.arraycopy(data, 0, reply, 2, data.length);
              return reply;
            });
  }
}
