package dev.wagoexporter.http;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.config.ListenAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/**
 * The exporter's own HTTP address, which {@code /probe} never reads: a probe of it once sent 12
 * bytes of Modbus to the HTTP port, whose connection then held one of the two HTTP threads for
 * good. Matches the listen port on any address that reaches this machine: loopback ({@code
 * 127.0.0.1}, {@code localhost}, {@code ::1}), the wildcard {@code 0.0.0.0}, the listen host, and
 * every address of the machine's interfaces.
 */
final class SelfAddress {
  private final ListenAddress listen;

  SelfAddress(ListenAddress listen) {
    this.listen = listen;
  }

  boolean is(GatewayAddress target) {
    if (target.port() != listen.port()) {
      return false;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(target.host());
    } catch (UnknownHostException e) {
      return false;
    }
    for (InetAddress a : addresses) {
      if (a.isLoopbackAddress() || a.isAnyLocalAddress() || isListenHost(a) || isLocal(a)) {
        return true;
      }
    }
    return false;
  }

  private boolean isListenHost(InetAddress a) {
    if (listen.allInterfaces()) {
      return false;
    }
    try {
      for (InetAddress own : InetAddress.getAllByName(listen.host())) {
        if (own.equals(a)) {
          return true;
        }
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }

  private static boolean isLocal(InetAddress a) {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (Collections.list(nif.getInetAddresses()).contains(a)) {
          return true;
        }
      }
    } catch (SocketException e) {
      return false;
    }
    return false;
  }
}
