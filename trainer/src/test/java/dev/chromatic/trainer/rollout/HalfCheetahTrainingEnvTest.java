package dev.chromatic.trainer.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.inference.NetworkEvaluator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HalfCheetahTrainingEnvTest {

    @Test
    void halfCheetahIsAPlainStackTaskOfThePapersShape() {
        assertTrue(TrainingEnvs.ids().contains("halfcheetah"), TrainingEnvs.ids().toString());
        try (TrainingEnv env = TrainingEnvs.create("halfcheetah", EnvOptions.defaults())) {
            assertEquals(17, env.observationDim());
            assertEquals(6, env.actionDim());
            assertEquals(1000, env.maxSteps());
            assertEquals(50_000_000L, env.controlPeriodNs());
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, env.actionScale());
            assertEquals("plain", env.stack());
            assertEquals("halfcheetah", env.task());
            // a network that drives every joint one way: the episode runs its steps and travels
            NetworkEvaluator push = new NetworkEvaluator() {
                @Override
                public int inputDim() {
                    return 17;
                }

                @Override
                public int outputDim() {
                    return 6;
                }

                @Override
                public void evaluate(double[] input, double[] output) {
                    Arrays.fill(output, 0.5);
                }
            };
            double[] mean = new double[17];
            double[] std = new double[17];
            Arrays.fill(std, 1.0);
            TrainingEnv.Episode e = env.run(4, push, mean, std, 5.0, 40, null, new TrainingEnv.Episode());
            assertEquals(40, e.steps);
            assertFalse(e.fell);
            assertTrue(Double.isFinite(e.totalReward) && e.distanceM != 0.0, e.totalReward + " " + e.distanceM);
        }
    }
}
