package dev.wagoexporter.modbus;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A serial port (a USB RS485 stick) through jSerialComm, at the line settings of the meter. Reads
 * wait in steps of at most {@link #READ_STEP_MILLIS}: jSerialComm's POSIX read timeouts have a
 * granularity of 100 ms, and a read returns as soon as bytes arrive, so the deadline is kept to
 * within one step and a {@link #close()} from another thread ends a waiting read within one step.
 */
final class SerialLink implements Link {
  /** jSerialComm rounds POSIX read timeouts to multiples of 100 ms. */
  private static final int READ_STEP_MILLIS = 100;

  /** errno values of the port's open call (Linux), for a message that says what to do. */
  private static final int ENOENT = 2;

  private static final int ENXIO = 6;
  private static final int EAGAIN = 11;
  private static final int EACCES = 13;
  private static final int EBUSY = 16;
  private static final int ENODEV = 19;

  private volatile SerialConfig line;
  private final SerialPort port;
  private final TimeSource time;

  private SerialLink(SerialConfig line, SerialPort port, TimeSource time) {
    this.line = line;
    this.port = port;
    this.time = time;
  }

  static SerialLink open(SerialConfig line, TimeSource time) throws ModbusReadException {
    String device = line.device().path();
    if (!Files.exists(Path.of(device))) {
      throw new ModbusReadException(FaultReason.CONNECTION, noSuchDevice(device));
    }
    SerialPort port;
    try {
      port = SerialPort.getCommPort(device);
    } catch (SerialPortInvalidPortException e) {
      throw new ModbusReadException(FaultReason.CONNECTION, noSuchDevice(device), e);
    }
    setLine(port, line);
    port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_STEP_MILLIS, 0);
    if (!port.openPort(0)) {
      throw new ModbusReadException(
          FaultReason.CONNECTION, cannotOpen(device, port.getLastErrorCode()));
    }
    port.flushIOBuffers();
    return new SerialLink(line, port, time);
  }

  private static boolean setLine(SerialPort port, SerialConfig line) {
    return port.setComPortParameters(
        line.baud(),
        8,
        line.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
        switch (line.parity()) {
          case EVEN -> SerialPort.EVEN_PARITY;
          case ODD -> SerialPort.ODD_PARITY;
          case NONE -> SerialPort.NO_PARITY;
        });
  }

  /**
   * Sets other line settings on the open port, for {@code check}'s search of the meter's settings:
   * changing them in place keeps the port (and its lock) instead of closing and reopening it.
   */
  void reconfigure(SerialConfig newLine) throws IOException {
    if (!setLine(port, newLine)) {
      throw new IOException(
          newLine.device()
              + ": cannot set "
              + newLine.lineSettings()
              + " (error "
              + port.getLastErrorCode()
              + ")");
    }
    line = newLine;
  }

  static String noSuchDevice(String device) {
    return device
        + ": no such device \u2014 is the stick plugged in? (ls /dev/ttyUSB* /dev/serial/by-id/;"
        + " in Docker, pass it in with devices:)";
  }

  private static String cannotOpen(String device, int errno) {
    return switch (errno) {
      case ENOENT, ENXIO, ENODEV -> noSuchDevice(device);
      case EACCES ->
          device
              + ": permission denied \u2014 the exporter's user needs the device's group"
              + " (ls -l "
              + device
              + "; usually dialout, group 20: sudo usermod -aG dialout USER, or group_add in"
              + " Compose)";
      case EBUSY, EAGAIN ->
          device
              + ": in use by another program (another exporter, mbpoll, ModemManager?); only one"
              + " master may use an RS485 line";
      default -> device + ": cannot open the serial port (error " + errno + ")";
    };
  }

  @Override
  public void write(byte[] frame) throws IOException {
    int written = port.writeBytes(frame, frame.length);
    if (written != frame.length) {
      throw new IOException(
          "writing to "
              + line.device()
              + " failed ("
              + written
              + " of "
              + frame.length
              + " bytes)");
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length, long deadlineNanos) {
    while (true) {
      int n = port.readBytes(buffer, length, offset);
      if (n != 0) {
        return n < 0 ? -1 : n;
      }
      if (time.nanoTime() - deadlineNanos >= 0) {
        return 0;
      }
    }
  }

  @Override
  public long discardPending() throws IOException {
    long discarded = 0;
    int available;
    while ((available = port.bytesAvailable()) > 0) {
      byte[] junk = new byte[available];
      int n = port.readBytes(junk, available);
      if (n <= 0) {
        break;
      }
      discarded += n;
    }
    if (available < 0) {
      throw new IOException(endOfStreamMessage());
    }
    return discarded;
  }

  @Override
  public Duration transmitTime(int bytes) {
    return line.wireTime(bytes);
  }

  @Override
  public Duration frameGap() {
    return line.frameGap();
  }

  @Override
  public String endOfStreamMessage() {
    return line.device() + ": the device is gone \u2014 was the stick unplugged?";
  }

  /**
   * Closes the port with its parity off, as a fresh pseudo-terminal has it. jSerialComm leaves the
   * termios of the last configuration on the device, and its next open of a pty whose termios has
   * PARENB (8E1, the WAGO default) fails with EINVAL (error 22): {@code check} after {@code run},
   * or a reopen after a fault, could not open the port again until the pty was recreated.
   */
  @Override
  public void close() {
    port.setParity(SerialPort.NO_PARITY);
    port.closePort();
  }
}
