package dev.wagoexporter.poll;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The raw register words one successful poll read, per read block, and when: what the Modbus TCP
 * proxy answers its clients' reads of the meter from while it is fresh, without bus time
 * (docs/design.md, "Snapshot answers").
 *
 * @param functionCode the function code the poll read with (03 or 04)
 * @param blocks the blocks read, each with its reply's register bytes, big-endian as on the wire
 * @param readNanos {@link System#nanoTime()} when the poll's first block was read: the age of the
 *     oldest word
 */
public record PolledRegisters(int functionCode, List<Words> blocks, long readNanos) {
  /** One read block's reply: {@code 2 * block.count()} bytes. */
  // the bytes are the reply's own, never written after the poll; compared by contents
  @SuppressWarnings("ArrayRecordComponent")
  public record Words(ReadBlock block, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Words w && block.equals(w.block) && Arrays.equals(data, w.data);
    }

    @Override
    public int hashCode() {
      return 31 * block.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Words[" + block + "]";
    }
  }

  public PolledRegisters {
    blocks = List.copyOf(blocks);
  }

  /**
   * The bytes of {@code count} registers from {@code address}, when this poll read every one of
   * them (in one block or several); empty otherwise.
   */
  public Optional<byte[]> registers(int address, int count) {
    byte[] out = new byte[2 * count];
    for (int r = address; r < address + count; r++) {
      int register = r;
      Optional<Words> holding =
          blocks.stream().filter(w -> w.block().covers(register, 1)).findFirst();
      if (holding.isEmpty()) {
        return Optional.empty();
      }
      int from = 2 * (register - holding.get().block().start());
      out[2 * (register - address)] = holding.get().data()[from];
      out[2 * (register - address) + 1] = holding.get().data()[from + 1];
    }
    return Optional.of(out);
  }
}
