package dev.wagoexporter.sim;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.client.ModbusRtuClient;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.tcp.client.NettyRtuClientTransport;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import dev.wagoexporter.modbus.Framing;
import java.time.Duration;

/** The library's own clients, an independent reader of what the simulator serves. */
final class ModbusClients {
  private ModbusClients() {}

  static ModbusClient connect(Framing framing, int port, Duration timeout) throws Exception {
    ModbusClient client;
    if (framing == Framing.RTU_OVER_TCP) {
      var transport =
          NettyRtuClientTransport.create(
              c -> {
                c.setHostname("127.0.0.1");
                c.setPort(port);
              });
      client = ModbusRtuClient.create(transport, c -> c.setRequestTimeout(timeout));
    } else {
      var transport =
          NettyTcpClientTransport.create(
              c -> {
                c.setHostname("127.0.0.1");
                c.setPort(port);
              });
      client = ModbusTcpClient.create(transport, c -> c.setRequestTimeout(timeout));
    }
    client.connect();
    return client;
  }
}
