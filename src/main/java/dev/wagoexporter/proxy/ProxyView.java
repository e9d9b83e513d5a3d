package dev.wagoexporter.proxy;

import java.util.List;

/**
 * A proxy as {@code /api/meters} shows it (top-level {@code proxies}, docs/status-page.md): where
 * it listens, what it lets through, who is connected and what it did.
 *
 * @param requests every request it answered, whatever the result
 * @param snapshotAnswers reads answered from the meters' latest poll, without bus time
 * @param errors requests answered with an exception (the device's own, or the proxy's refusal)
 */
public record ProxyView(
    String line,
    String listenAddress,
    List<Integer> units,
    List<Integer> writableUnits,
    List<ClientView> clients,
    long requests,
    long snapshotAnswers,
    long errors) {

  /**
   * One connected client: its address, when it connected, how many of its requests were answered.
   */
  public record ClientView(String peer, String connectedAt, long requests) {}
}
