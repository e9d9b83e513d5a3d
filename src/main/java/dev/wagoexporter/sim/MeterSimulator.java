package dev.wagoexporter.sim;

import com.digitalpetri.modbus.server.ModbusRtuServer;
import com.digitalpetri.modbus.server.ModbusServer;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyRtuServerTransport;
import com.digitalpetri.modbus.tcp.server.NettyServerTransportConfig;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.modbus.Framing;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A simulated RS485-to-Ethernet gateway with WAGO 879-30xx meters behind it, and optionally a
 * {@link SimulatedHeatPump} on the same bus, served on a real TCP socket in Modbus TCP or
 * RTU-over-TCP framing by the digitalpetri server. Used by tests, by {@code demo} and by {@code
 * simulate}.
 */
public final class MeterSimulator implements AutoCloseable {
  private final SimulatorOptions options;
  private final ModbusServer server;
  private final int port;
  private final Map<Integer, SimulatedMeter> meters;

  /** The heat pump on the bus; none when the options give it no unit id. */
  private final @Nullable SimulatedHeatPump heatPump;

  private final RequestLog log;
  private final ReplyShaping shaping;

  private MeterSimulator(
      SimulatorOptions options,
      ModbusServer server,
      int port,
      Map<Integer, SimulatedMeter> meters,
      @Nullable SimulatedHeatPump heatPump,
      RequestLog log,
      ReplyShaping shaping) {
    this.options = options;
    this.server = server;
    this.port = port;
    this.meters = meters;
    this.heatPump = heatPump;
    this.log = log;
    this.shaping = shaping;
  }

  /** Binds and serves a line without faults; on return the socket accepts connections. */
  public static MeterSimulator start(SimulatorOptions options) throws IOException {
    return start(options, LineFaults.NONE);
  }

  /**
   * Binds and serves a line that misbehaves as {@code faults} says; on return the socket accepts
   * connections. For tests of the exporter's guards: {@code simulate} and {@code demo} run with
   * {@link LineFaults#NONE}.
   */
  public static MeterSimulator start(SimulatorOptions options, LineFaults faults)
      throws IOException {
    SimulatedTime time = SimulatedTime.startingNow(options.clock(), options.speed());
    Map<Integer, SimulatedMeter> meters = new LinkedHashMap<>();
    for (int unitId : options.unitIds()) {
      meters.put(unitId, new SimulatedMeter(unitId, time));
    }
    var log = new RequestLog();
    var shaping = new ReplyShaping(options.framing(), options.mixUpReplies());
    var meterServices = new WagoMeterServices(meters, log);
    Map<Integer, ModbusServices> devices = new LinkedHashMap<>();
    meters.keySet().forEach(unitId -> devices.put(unitId, meterServices));
    SimulatedHeatPump heatPump = null;
    if (options.heatPumpUnit().isPresent()) {
      heatPump = new SimulatedHeatPump(options.heatPumpUnit().getAsInt());
      devices.put(heatPump.unitId(), new HeatPumpServices(heatPump, log));
    }
    var services = new BusServices(devices);

    // The library keeps the bound channel to itself; a handler on the server channel tells the real
    // port.
    var boundPort = new CompletableFuture<Integer>();
    NettyServerTransportConfig config =
        NettyServerTransportConfig.create(
            b -> {
              b.setBindAddress(options.host());
              b.setPort(options.port());
              b.setPipelineCustomizer(shaping::install);
              b.setBootstrapCustomizer(
                  bootstrap ->
                      bootstrap.handler(
                          new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                              boundPort.complete(
                                  ((InetSocketAddress) ctx.channel().localAddress()).getPort());
                              super.channelActive(ctx);
                            }
                          }));
            });

    ModbusServer server;
    if (options.framing() == Framing.RTU_OVER_TCP) {
      var wire =
          new SimulatedRtuWire(
              new NettyRtuServerTransport(config),
              options.busUnitIds(),
              log,
              faults,
              shaping,
              options.lineTiming());
      server = ModbusRtuServer.create(wire, services);
    } else {
      var wire =
          new SimulatedTcpWire(
              new NettyTcpServerTransport(config),
              options.busUnitIds(),
              log,
              faults,
              shaping,
              options.lineTiming());
      server = ModbusTcpServer.create(wire, services);
    }

    String where = options.host() + ":" + options.port();
    try {
      server.start();
      int port = boundPort.get(5, TimeUnit.SECONDS);
      return new MeterSimulator(options, server, port, Map.copyOf(meters), heatPump, log, shaping);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(
          "simulator cannot listen on "
              + where
              + ": "
              + cause.getMessage()
              + " (is the port in use? pick another with --listen)",
          cause);
    } catch (TimeoutException e) {
      stopQuietly(server);
      throw new IOException("simulator on " + where + " did not report its port within 5 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(server);
      throw new IOException("interrupted while starting the simulator on " + where, e);
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException("simulator cannot listen on " + where + ": " + e.getMessage(), e);
    }
  }

  /** The port actually listened on (the ephemeral one when the options said 0). */
  public int port() {
    return port;
  }

  public SimulatorOptions options() {
    return options;
  }

  /** The meter answering at {@code unitId}. */
  public SimulatedMeter meter(int unitId) {
    SimulatedMeter meter = meters.get(unitId);
    if (meter == null) {
      throw new IllegalArgumentException(
          "no simulated meter at unit id " + unitId + "; serving " + meters.keySet());
    }
    return meter;
  }

  /** The heat pump answering at {@code unitId} ({@link SimulatorOptions#withHeatPumpUnit(int)}). */
  public SimulatedHeatPump heatPump(int unitId) {
    if (heatPump == null || heatPump.unitId() != unitId) {
      throw new IllegalArgumentException(
          "no simulated heat pump at unit id "
              + unitId
              + (heatPump == null
                  ? "; add one with withHeatPumpUnit"
                  : "; it is at " + heatPump.unitId()));
    }
    return heatPump;
  }

  /**
   * Every request received on any connection, whatever happened to it (also to unit ids nobody
   * answers).
   */
  public long requestCount() {
    return log.requestCount();
  }

  /** Requests received per function code, e.g. {3=2} after one full poll. */
  public Map<Integer, Long> functionCodeCounts() {
    return log.functionCodeCounts();
  }

  /** Requests received for {@code unitId} on any connection, whatever happened to them. */
  public long requestCount(int unitId) {
    return log.requestCount(unitId);
  }

  /**
   * Every write request received for a device on the bus, in order: refused (exception 01) by
   * meters, stored by the heat pump.
   */
  public List<WriteAttempt> writeAttempts() {
    return log.writeAttempts();
  }

  /** The write requests that reached {@code unitId}, in order, accepted or refused. */
  public List<WriteAttempt> writesTo(int unitId) {
    return log.writesTo(unitId);
  }

  /**
   * How many replies went to another connection than the one that asked ({@link
   * SimulatorOptions#mixUpReplies()}).
   */
  public long mixedUpReplies() {
    return shaping.mixedUpReplies();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(ModbusServer server) {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // unbinding failed: the socket is closed either way and nothing is left to release
    }
  }

  @Override
  public String toString() {
    return "WAGO 879-30xx simulator on "
        + new GatewayAddress(options.host(), port)
        + " ("
        + options.framing()
        + ", unit ids "
        + options.unitIds()
        + (options.heatPumpUnit().isPresent()
            ? ", heat pump at unit id " + options.heatPumpUnit().getAsInt()
            : "")
        + (options.mixUpReplies() ? ", replies mixed up between clients" : "")
        + (options.speed() == 1.0 ? "" : ", speed " + options.speed() + "x")
        + (options.lineTiming() == null
            ? ""
            : ", line "
                + options.lineTiming().baud()
                + " baud "
                + options.lineTiming().parity()
                + ", turnaround "
                + options.lineTiming().turnaround().toMillis()
                + " ms")
        + ")";
  }
}
