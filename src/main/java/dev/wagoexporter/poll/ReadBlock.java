package dev.wagoexporter.poll;

/** One read request: {@code count} registers from {@code start}. */
public record ReadBlock(int start, int count) {
  public int end() {
    return start + count;
  }

  public boolean covers(int address, int registers) {
    return address >= start && address + registers <= end();
  }

  @Override
  public String toString() {
    return String.format("0x%04X x%d", start, count);
  }
}
