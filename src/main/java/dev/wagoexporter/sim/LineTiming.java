package dev.wagoexporter.sim;

import java.time.Duration;
import java.util.Locale;

/**
 * The RS485 line between gateway and meter: every reply is held back by the time its request and
 * reply bytes take on the wire plus the meter's turnaround, so a poll's duration can be compared
 * with the physical bound.
 *
 * @param baud bits per second on the line, e.g. 9600 (the WAGO factory setting)
 * @param parity parity setting; decides whether a byte takes 11 or 10 bits (8 data, start, stop,
 *     parity)
 * @param turnaround time the meter takes between the end of a request and the start of its reply
 */
public record LineTiming(int baud, Parity parity, Duration turnaround) {
  /** RTU request to read holding registers: unit, function, address, quantity, CRC. */
  public static final int READ_REQUEST_BYTES = 8;

  /** Serial parity; the WAGO factory default is even (register 0x4011 = 1). */
  public enum Parity {
    EVEN,
    NONE,
    ODD;

    /** Bits a byte takes on the wire: start + 8 data + stop, plus one parity bit unless NONE. */
    public int bitsPerByte() {
      return this == NONE ? 10 : 11;
    }

    /** Parses {@code even}, {@code none} or {@code odd}. */
    public static Parity parse(String text) {
      for (Parity p : values()) {
        if (p.name().equalsIgnoreCase(text.trim())) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown parity '" + text + "' (use even, none or odd)");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LineTiming {
    if (baud < 300 || baud > 1_000_000) {
      throw new IllegalArgumentException("baud must be 300..1000000, was " + baud);
    }
    if (parity == null) {
      throw new IllegalArgumentException("parity must not be null");
    }
    if (turnaround == null || turnaround.isNegative()) {
      throw new IllegalArgumentException("turnaround must be zero or positive, was " + turnaround);
    }
  }

  /** 9600 baud, even parity, no turnaround: the WAGO factory line settings. */
  public static LineTiming factoryDefault() {
    return new LineTiming(9600, Parity.EVEN, Duration.ZERO);
  }

  /** Wire time of {@code bytes} bytes. */
  public Duration wireTime(int bytes) {
    long nanos = Math.round(bytes * (double) parity.bitsPerByte() * 1e9 / baud);
    return Duration.ofNanos(nanos);
  }

  /** How long a reply is held back: request and reply on the wire plus the turnaround. */
  public Duration replyDelay(int requestBytes, int replyBytes) {
    return wireTime(requestBytes + replyBytes).plus(turnaround);
  }

  /**
   * RTU reply to a read of {@code registers} holding registers: unit, function, byte count, data,
   * CRC.
   */
  public static int readReplyBytes(int registers) {
    return 5 + 2 * registers;
  }

  /** The shortest possible time of one FC03 read of {@code registers} registers on this line. */
  public Duration readDuration(int registers) {
    return replyDelay(READ_REQUEST_BYTES, readReplyBytes(registers));
  }

  /**
   * The physical lower bound of a poll that reads the given blocks one after another, e.g. {@code
   * minimumPollDuration(timing, 56, 72)} for the exporter's two WAGO blocks.
   */
  public static Duration minimumPollDuration(LineTiming timing, int... blockSizes) {
    Duration total = Duration.ZERO;
    for (int registers : blockSizes) {
      total = total.plus(timing.readDuration(registers));
    }
    return total;
  }
}
