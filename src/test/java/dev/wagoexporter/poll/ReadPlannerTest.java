package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {
  private final Profile wago = load();

  private static Profile load() {
    try {
      return ProfileLoader.load(ProfileLoader.BUILT_IN);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fullWagoProfileIsTwoRequests() {
    ReadPlan plan = ReadPlanner.plan(wago.points(), 125, ReadPlanner.DEFAULT_MAX_GAP);
    assertThat(plan.blocks()).containsExactly(new ReadBlock(0x5000, 56), new ReadBlock(0x6000, 72));
  }

  @Test
  void smallerRequestLimitGivesMoreBlocksButCoversEveryPoint() {
    ReadPlan plan = ReadPlanner.plan(wago.points(), 20, ReadPlanner.DEFAULT_MAX_GAP);
    assertThat(plan.blocks()).allSatisfy(b -> assertThat(b.count()).isLessThanOrEqualTo(20));
    assertThat(wago.points())
        .allSatisfy(
            p ->
                assertThat(plan.blocks())
                    .anySatisfy(b -> assertThat(b.covers(p.address(), 2)).isTrue()));
    assertThat(plan.blocks()).hasSize(3 + 4);
  }

  @Test
  void refusedBlockIsSplitInHalvesAndTheSplitIsKept() {
    ReadPlan plan = ReadPlanner.plan(wago.points(), 125, ReadPlanner.DEFAULT_MAX_GAP);
    ReadPlan split = plan.split(new ReadBlock(0x6000, 72)).orElseThrow();
    assertThat(split.blocks())
        .containsExactly(
            new ReadBlock(0x5000, 56), new ReadBlock(0x6000, 36), new ReadBlock(0x6024, 36));
    ReadPlan single =
        ReadPlanner.plan(
            wago.points().stream().filter(p -> p.address() == 0x5008).toList(), 125, 8);
    assertThat(single.split(single.blocks().get(0))).isEmpty();
    assertThat(single.without(single.blocks().get(0)).blocks()).isEmpty();
  }

  @Test
  void gapsLargerThanTheLimitAreNotRead() {
    var points =
        wago.points().stream().filter(p -> p.address() == 0x5002 || p.address() == 0x5036).toList();
    assertThat(ReadPlanner.plan(points, 125, 8).blocks())
        .containsExactly(new ReadBlock(0x5002, 2), new ReadBlock(0x5036, 2));
    assertThat(ReadPlanner.plan(points, 125, 60).blocks())
        .containsExactly(new ReadBlock(0x5002, 54));
  }
}
