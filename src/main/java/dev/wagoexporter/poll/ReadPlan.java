package dev.wagoexporter.poll;

import dev.wagoexporter.profile.RegisterPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read requests of one poll of one meter, and the points each covers. Immutable: splitting a
 * block after an exception reply gives a new plan, which the poller keeps for the following polls.
 */
public record ReadPlan(List<ReadBlock> blocks, List<RegisterPoint> points) {
  public ReadPlan {
    blocks = List.copyOf(blocks);
    points = List.copyOf(points);
  }

  /** The points whose registers lie inside {@code block}. */
  public List<RegisterPoint> pointsIn(ReadBlock block) {
    return points.stream()
        .filter(p -> block.covers(p.address(), p.type().registerCount()))
        .toList();
  }

  /**
   * Replaces {@code block} by two blocks, each covering half of its points, for a meter that
   * refused the whole block (exception 02/03). Empty when the block holds a single value and cannot
   * be split further.
   */
  public Optional<ReadPlan> split(ReadBlock block) {
    List<RegisterPoint> inside = pointsIn(block);
    List<Integer> starts = inside.stream().map(RegisterPoint::address).distinct().sorted().toList();
    if (starts.size() < 2) {
      return Optional.empty();
    }
    int cut = starts.get(starts.size() / 2);
    ReadBlock first = tighten(inside, block.start(), cut);
    ReadBlock second = tighten(inside, cut, block.end());
    List<ReadBlock> result = new ArrayList<>();
    for (ReadBlock b : blocks) {
      if (b.equals(block)) {
        result.add(first);
        result.add(second);
      } else {
        result.add(b);
      }
    }
    return Optional.of(new ReadPlan(result, points));
  }

  /**
   * Drops a block that even alone the meter refuses, so one missing register does not fail every
   * poll.
   */
  public ReadPlan without(ReadBlock block) {
    List<ReadBlock> rest = blocks.stream().filter(b -> !b.equals(block)).toList();
    List<RegisterPoint> kept =
        points.stream().filter(p -> !block.covers(p.address(), p.type().registerCount())).toList();
    return new ReadPlan(rest, kept);
  }

  private static ReadBlock tighten(List<RegisterPoint> inside, int from, int to) {
    int start = Integer.MAX_VALUE;
    int end = Integer.MIN_VALUE;
    for (RegisterPoint p : inside) {
      if (p.address() >= from && p.address() < to) {
        start = Math.min(start, p.address());
        end = Math.max(end, p.end());
      }
    }
    return new ReadBlock(start, end - start);
  }
}
