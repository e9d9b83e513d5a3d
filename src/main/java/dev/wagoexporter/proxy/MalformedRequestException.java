package dev.wagoexporter.proxy;

import java.io.IOException;

/** A client sent something that is not a Modbus TCP request: it is disconnected and counted. */
final class MalformedRequestException extends IOException {
  MalformedRequestException(String message) {
    super(message);
  }
}
