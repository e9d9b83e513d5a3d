package dev.wagoexporter.config;

/**
 * Where an RS485 bus is reached: a gateway's TCP address or a serial device. The key of the one
 * connection that every meter on that bus shares (one master per line), formatted by {@code
 * toString()} for logs, labels and errors.
 */
public sealed interface BusAddress permits GatewayAddress, SerialDevice {}
