package dev.wagoexporter.poll;

import dev.wagoexporter.modbus.ModbusLimits;
import dev.wagoexporter.profile.RegisterPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the points of a profile into the fewest read requests. Every value of a block is read at
 * the same instant, and on a 9600-baud line each request saved is ~10 ms of bus time plus the
 * gateway's round trip.
 */
public final class ReadPlanner {
  /**
   * Unused registers worth reading to save a request: reading 8 extra registers costs ~18 ms at
   * 9600 8E1, a new request costs more (header, CRC, turnaround, gateway latency).
   */
  public static final int DEFAULT_MAX_GAP = 8;

  private ReadPlanner() {}

  public static ReadPlan plan(List<RegisterPoint> points, int maxRegistersPerRequest, int maxGap) {
    if (maxRegistersPerRequest < 1 || maxRegistersPerRequest > ModbusLimits.MAX_READ_REGISTERS) {
      throw new IllegalArgumentException(
          "max registers per request must be 1.." + ModbusLimits.MAX_READ_REGISTERS);
    }
    List<RegisterPoint> sorted =
        points.stream().sorted(Comparator.comparingInt(RegisterPoint::address)).toList();
    List<ReadBlock> blocks = new ArrayList<>();
    int start = -1;
    int end = -1;
    for (RegisterPoint p : sorted) {
      if (start >= 0
          && p.address() - end <= maxGap
          && Math.max(end, p.end()) - start <= maxRegistersPerRequest) {
        end = Math.max(end, p.end());
        continue;
      }
      if (start >= 0) {
        blocks.add(new ReadBlock(start, end - start));
      }
      start = p.address();
      end = p.end();
    }
    if (start >= 0) {
      blocks.add(new ReadBlock(start, end - start));
    }
    return new ReadPlan(blocks, points);
  }
}
