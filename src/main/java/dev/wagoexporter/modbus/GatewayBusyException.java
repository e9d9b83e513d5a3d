package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;

/**
 * The gateway took the TCP connection and dropped it before any request: it serves one client at a
 * time and another one holds the slot (a running exporter, the old exporter, the VirCom tool).
 */
public final class GatewayBusyException extends ModbusReadException {
  GatewayBusyException(String message) {
    super(FaultReason.CONNECTION, message);
  }
}
