package dev.chromatic.trainer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.trainer.es.ObservationStats;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Minitaur environment runs the robot's own loop, controller stack and safety supervisor. */
class MinitaurTrainingEnvTest {

    /** All-zero network: every action sits at its offset, the trajectory generator's own 2 Hz trot. */
    private static FloatNetwork neutral() {
        FloatNetwork zero = new FloatNetwork(new int[] {7, 13}, new Activation[] {Activation.TANH});
        zero.setParameters(new int[][] {new int[7 * 13]}, new double[1], new double[][] {new double[13]});
        return zero;
    }

    private static double[] zeros() {
        return new double[7];
    }

    private static double[] ones() {
        double[] std = new double[7];
        Arrays.fill(std, 1.0);
        return std;
    }

    @Test
    void neutralPmtgActionTrotsForwardWithoutFallingFromAStandingStart() {
        try (TrainingEnv env = TrainingEnvs.create("minitaur-pmtg", EnvOptions.nominal())) {
            assertEquals(7, env.observationDim());
            assertEquals(13, env.actionDim());
            ObservationStats stats = new ObservationStats(7);
            TrainingEnv.Episode ep = env.run(1, neutral(), zeros(), ones(), 5.0, 300, stats, new TrainingEnv.Episode());
            assertEquals(300, ep.steps);
            assertFalse(ep.fell);
            assertTrue(ep.distanceM > 0.3, "walked " + ep.distanceM + " m in 3 s");
            assertEquals(300, stats.count());
            assertEquals(300 * 0.5, stats.sum()[6], 1e-9, "commanded speed is observed every step");
        }
    }

    @Test
    void aSettingsFileOverridesTheReferenceRangesWhateverTheKeyOrder() {
        // "pushForce..." sorts after "domainRandomization", "accelBias..." before it: both override it
        EnvOptions o = new EnvOptions("robot", "file", java.util.Map.of("domainRandomization", "true",
                "pushForceMinN", "0", "pushForceMaxN", "0", "accelBiasMps2", "0"));
        dev.chromatic.sim.SimConfig c = o.simConfig(10_000_000L, 1L);
        assertEquals(0.0, c.pushForceMaxN);
        assertEquals(0.0, c.accelBiasMaxMps2);
        assertEquals(0.8, c.massScaleMin, "the rest keeps the reference ranges");
    }

    @Test
    void theServoEnvRunsThePmtgStackOnTheServoRobot() {
        try (MinitaurTrainingEnv env = MinitaurTrainingEnv.create("minitaur-servo-pmtg", EnvOptions.defaults())) {
            assertEquals("minitaur-servo", env.robot());
            assertEquals("minitaur-pmtg", env.stack());
            assertEquals("minitaur-servo", env.sim().spec().name());
            assertTrue(env.sim().config().servos());
            assertEquals(0.8, env.sim().config().massScaleMin, "the same randomisation as the Minitaur's");
        }
        assertEquals("minitaur-servo-pmtg", MinitaurTrainingEnv.envFor("minitaur-servo", "minitaur-pmtg"));
        assertEquals("minitaur-pmtg", MinitaurTrainingEnv.envFor("minitaur", "minitaur-pmtg"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MinitaurTrainingEnv.create("minitaur-servo-pmtg",
                        new EnvOptions("robot", "file", java.util.Map.of("robot", "minitaur"))));
        assertTrue(e.getMessage().startsWith("robot:"), e.getMessage());
    }

    @Test
    void robotStartsStandUpAndHandOverBeforeThePolicyIsScored() {
        try (MinitaurTrainingEnv env = MinitaurTrainingEnv.create("minitaur-pmtg", EnvOptions.parse("robot", "none"))) {
            ObservationStats stats = new ObservationStats(7);
            RobotEpisode.Result r = env.runEpisode(3, neutral(), zeros(), ones(), 5.0, 200, stats, null);
            assertTrue(r.handedOver, "the stand-up and settle gate hand over to the policy");
            assertTrue(r.unpoweredS >= 0.2 && r.unpoweredS <= 1.5, "unpowered " + r.unpoweredS + " s");
            assertTrue(r.standUpS >= 1.0, "the 1 s ramp comes first, then the gate: " + r.standUpS + " s");
            assertEquals(200, r.policySteps);
            assertEquals(200, stats.count(), "statistics come from the policy's steps only");
            assertFalse(r.fell);
            assertTrue(r.distanceM > 0.2, "walked " + r.distanceM + " m in 2 s after the hand-over");
        }
    }

    @Test
    void theSameSeedGivesTheSameEpisodeAndAnotherSeedAnotherOne() {
        try (MinitaurTrainingEnv a = MinitaurTrainingEnv.create("minitaur-pmtg", EnvOptions.defaults());
             MinitaurTrainingEnv b = MinitaurTrainingEnv.create("minitaur-pmtg", EnvOptions.defaults())) {
            double r1 = a.runEpisode(5, neutral(), zeros(), ones(), 5.0, 150, null, null).reward;
            double u1 = a.runEpisode(5, neutral(), zeros(), ones(), 5.0, 150, null, null).unpoweredS;
            double r2 = b.runEpisode(5, neutral(), zeros(), ones(), 5.0, 150, null, null).reward;
            double r3 = b.runEpisode(6, neutral(), zeros(), ones(), 5.0, 150, null, null).reward;
            double u3 = b.runEpisode(6, neutral(), zeros(), ones(), 5.0, 150, null, null).unpoweredS;
            assertEquals(Double.doubleToLongBits(r1), Double.doubleToLongBits(r2), "bitwise the same episode");
            assertNotEquals(r1, r3);
            assertNotEquals(u1, u3, "the time unpowered is drawn from the seed");
        }
    }

    @Test
    void aPolicyThatEmitsNaNIsStoppedByTheRobotsSafetySupervisor() {
        NetworkEvaluator nan = new NetworkEvaluator() {
            @Override
            public int inputDim() {
                return 7;
            }

            @Override
            public int outputDim() {
                return 13;
            }

            @Override
            public void evaluate(double[] in, double[] out) {
                Arrays.fill(out, Double.NaN);
            }
        };
        try (MinitaurTrainingEnv env = MinitaurTrainingEnv.create("minitaur-pmtg", EnvOptions.nominal())) {
            RobotEpisode.Result r = env.runEpisode(1, nan, zeros(), ones(), 5.0, 100, null, null);
            assertTrue(r.fell);
            assertEquals(Reason.NON_FINITE_ACTION, r.safetyReason);
            assertEquals(0, r.policySteps, "the cycle that produced NaN is not scored");
        }
    }
}
