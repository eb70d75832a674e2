package dev.chromatic.trainer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.trainer.es.ObservationStats;
import org.junit.jupiter.api.Test;

class MinitaurTrainingEnvTest {

    @Test
    void neutralPmtgActionTrotsForwardWithoutFalling() {
        try (TrainingEnv env = TrainingEnvs.create("minitaur-pmtg")) {
            assertEquals(7, env.observationDim());
            assertEquals(13, env.actionDim());
            // all-zero network: every action sits at its offset, the TG's own 2 Hz trot
            FloatNetwork zero = new FloatNetwork(new int[] {7, 13}, new Activation[] {Activation.TANH});
            int[] colors = new int[7 * 13];
            zero.setParameters(new int[][] {colors}, new double[1], new double[][] {new double[13]});
            double[] mean = new double[7];
            double[] std = new double[7];
            java.util.Arrays.fill(std, 1.0);
            ObservationStats stats = new ObservationStats(7);
            TrainingEnv.Episode ep = env.run(1, zero, mean, std, 5.0, 300, stats, new TrainingEnv.Episode());
            assertEquals(300, ep.steps);
            assertFalse(ep.fell);
            assertTrue(ep.distanceM > 0.3, "walked " + ep.distanceM + " m in 3 s");
            assertEquals(300, stats.count());
            assertEquals(300 * 0.5, stats.sum()[6], 1e-9, "commanded speed is observed every step");
        }
    }
}
