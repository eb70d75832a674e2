package dev.chromatic.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.trainer.controller.PartitionController;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --start-groups}: which slots meet which episode start, and what the controller learns from. */
class StartGroupsTest {

    private static Trainer trainer(int startGroups) {
        TrainConfig c = TrainerTest.small("chromatic", "evolution");
        c.perturbations = 4;
        c.exact = 3;
        c.startGroups = startGroups;
        c.threads = 1;
        ParallelFor parallel = new ParallelFor(1);
        return new Trainer(c, new LocalRolloutEvaluator(parallel), parallel, () -> 0L);
    }

    @Test
    void slotsOfAStartGroupMeetOneEpisodeStartAndOtherGroupsAnother() {
        List<RolloutSpec> specs = trainer(2).slotSpecs(5);
        assertEquals(2 * 4 + 3, specs.size());
        Map<Integer, Long> seedOfGroup = new HashMap<>();
        for (RolloutSpec s : specs) {
            int group = (s.perturbation >= 0 ? s.perturbation : s.slot - 8) % 2;
            Long seen = seedOfGroup.putIfAbsent(group, s.episodeSeed);
            if (seen != null) {
                assertEquals(seen.longValue(), s.episodeSeed, "slot " + s.slot + " of group " + group);
            }
        }
        assertNotEquals(seedOfGroup.get(0), seedOfGroup.get(1));
        // another iteration, other starts
        assertNotEquals(seedOfGroup.get(0).longValue(), trainer(2).slotSpecs(6).get(0).episodeSeed);
    }

    @Test
    void withoutGroupsEveryPairHasItsOwnStartAsBefore() {
        List<RolloutSpec> specs = trainer(0).slotSpecs(5);
        Map<Long, Integer> slotsPerSeed = new HashMap<>();
        for (RolloutSpec s : specs) {
            slotsPerSeed.merge(s.episodeSeed, 1, Integer::sum);
        }
        // 4 pairs (2 slots each) and 3 exact slots (1 each): 7 starts
        assertEquals(7, slotsPerSeed.size());
        assertEquals(8, slotsPerSeed.values().stream().filter(n -> n == 2).count() * 2);
    }

    @Test
    void theControllerLearnsFromEachReturnMinusItsStartGroupsMean() {
        TrainConfig c = TrainerTest.small("chromatic", "evolution");
        c.controllerReward = "raw";
        c.startGroups = 2;
        Recorder rec = new Recorder();
        ControllerSchedule schedule = new ControllerSchedule(rec, c, 5, false, new int[] {0, 1, 0, 1, 1});
        schedule.partitions(0);
        schedule.tell(0, new double[] {10, 1, 20, 2, 6});
        // group 0: mean 15; group 1: mean 3
        assertArrayEquals(new double[] {-5, -2, 5, -1, 3}, rec.told, 1e-12);
        ControllerSchedule plain = new ControllerSchedule(rec, c, 5, false, null);
        plain.partitions(1);
        plain.tell(1, new double[] {10, 1, 20, 2, 6});
        assertArrayEquals(new double[] {10, 1, 20, 2, 6}, rec.told, 0.0);
    }

    @Test
    void aGroupCountAboveThePerturbationsIsRefusedByName() {
        TrainConfig c = TrainerTest.small("chromatic", "evolution");
        c.startGroups = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().startsWith("start-groups:"), e.getMessage());
        c.startGroups = -1;
        assertThrows(IllegalArgumentException.class, c::validate);
    }

    /** Records the rewards it is told. */
    private static final class Recorder implements PartitionController {
        double[] told;

        @Override
        public String id() {
            return "recorder";
        }

        @Override
        public int edgeCount() {
            return 3;
        }

        @Override
        public int colorCount() {
            return 2;
        }

        @Override
        public void ask(long round, int[][] out) {
        }

        @Override
        public void tell(long round, int[][] partitions, double[] rewards) {
            told = rewards.clone();
        }

        @Override
        public double entropy() {
            return 0;
        }

        @Override
        public int[] mostLikely() {
            return new int[3];
        }

        @Override
        public void save(DataOutputStream out) {
        }

        @Override
        public void load(DataInputStream in) {
        }
    }
}
