package dev.chromatic.sim.cheetah;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfCheetahEnvTest {

    @Test
    void massesAreThePublicModelsBodyMasses() {
        CheetahModel model = new CheetahModel();
        // gym's HalfCheetah-v2 model.body_mass (MuJoCo from half_cheetah.xml)
        double[] published = {6.36031332, 1.53524804, 1.58093995, 1.0691906, 1.42558747, 1.17885117, 0.84986945};
        double total = 0;
        for (int b = 0; b < CheetahModel.BODIES; b++) {
            assertEquals(published[b], model.massKg(b), 1e-6, CheetahModel.BODY_NAMES[b]);
            assertTrue(model.inertiaYKgM2(b) > 0, CheetahModel.BODY_NAMES[b]);
            total += model.massKg(b);
        }
        assertEquals(14.0, total, 1e-9);
        // the head pulls the torso's centre of mass forward and up
        assertEquals(0.6 * 0.0023001 / 0.0092535, model.com(0, 0), 1e-3);
    }

    @Test
    void isTheTable2Shape() {
        try (HalfCheetahEnv env = new HalfCheetahEnv()) {
            assertEquals(17, env.observationDim());
            assertEquals(6, env.actionDim());
            assertEquals(1000, env.maxSteps());
            assertEquals(50_000_000L, env.controlPeriodNs());
            assertEquals(1.0, env.actionBound());
        }
    }

    @Test
    void unpoweredBodyFallsOntoItsFeetAndComesToRest() {
        try (HalfCheetahEnv env = new HalfCheetahEnv()) {
            env.setState(new double[9], new double[9]);
            assertTrue(env.lowestPointM() > 0.05, "starts in the air as the model does: " + env.lowestPointM());
            double[] zero = new double[6];
            double[] obs = new double[17];
            for (int i = 0; i < 60; i++) {
                env.step(zero);
            }
            env.observe(obs);
            // resting: slower than 5 cm/s and 0.1 rad/s everywhere, on the ground, not sunk into it
            for (int i = 8; i < 17; i++) {
                assertEquals(0.0, obs[i], 0.1, "velocity " + i);
            }
            double lowest = env.lowestPointM();
            assertTrue(lowest > -0.01 && lowest < 0.01, "lowest point " + lowest);
            assertTrue(Math.abs(env.distanceM()) < 0.1, "did not slide: " + env.distanceM());
        }
    }

    @Test
    void rewardIsForwardVelocityMinusControlCost() {
        try (HalfCheetahEnv env = new HalfCheetahEnv()) {
            env.reset(3);
            double[] q = new double[9];
            env.positions(q);
            double x0 = q[0];
            double[] action = {0.5, -2.0, 0.0, 0.25, Double.NaN, 1.0};
            double reward = env.step(action);
            env.positions(q);
            // clipped to [-1, 1], NaN unpowered: 0.25 + 1 + 0.0625 + 1
            assertEquals((q[0] - x0) / 0.05 - 0.1 * 2.3125, reward, 1e-9);
            assertEquals(q[0] - x0, env.distanceM(), 1e-6);
        }
    }

    @Test
    void anEpisodeDependsOnlyOnItsSeed() {
        try (HalfCheetahEnv used = new HalfCheetahEnv(); HalfCheetahEnv fresh = new HalfCheetahEnv()) {
            runRandom(used, 11, 300, 5);
            double[] a = trajectory(used, 42);
            double[] b = trajectory(fresh, 42);
            assertArrayEquals(b, a, 0.0);
            double[] c = trajectory(fresh, 43);
            assertFalse(java.util.Arrays.equals(a, c), "another seed starts elsewhere");
        }
    }

    @Test
    void fullTorqueBangBangStaysFiniteAndWithinTheStops() {
        try (HalfCheetahEnv env = new HalfCheetahEnv()) {
            env.reset(7);
            SplittableRandom random = new SplittableRandom(7);
            double[] action = new double[6];
            double[] q = new double[9];
            double[] obs = new double[17];
            double worstExcess = 0;
            for (int step = 0; step < env.maxSteps(); step++) {
                if (step % 4 == 0) {
                    for (int j = 0; j < 6; j++) {
                        action[j] = random.nextBoolean() ? 1.0 : -1.0;
                    }
                }
                double r = env.step(action);
                assertTrue(Double.isFinite(r), "reward at step " + step);
                env.positions(q);
                env.observe(obs);
                for (int j = 0; j < 6; j++) {
                    double[] range = CheetahModel.RANGE_RAD[j];
                    worstExcess = Math.max(worstExcess, Math.max(q[3 + j] - range[1], range[0] - q[3 + j]));
                    assertTrue(Math.abs(obs[11 + j]) < 60, "joint " + j + " rate " + obs[11 + j] + " at step " + step);
                }
                assertTrue(env.lowestPointM() > -0.05, "sank into the ground at step " + step);
            }
            assertTrue(env.done());
            // full gear torque against a stop: MuJoCo's soft limits give way by about 0.1-0.3 rad too
            assertTrue(worstExcess < 0.35, "worst excursion beyond a joint range " + worstExcess);
        }
    }

    @Test
    void aStateOfTheWrongSizeIsRefusedByName() {
        try (HalfCheetahEnv env = new HalfCheetahEnv()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> env.setState(new double[8], new double[9]));
            assertTrue(e.getMessage().contains("9 positions") && e.getMessage().contains("got 8"), e.getMessage());
        }
    }

    @Test
    void closedEnvironmentSaysSo() {
        HalfCheetahEnv env = new HalfCheetahEnv();
        env.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.reset(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        env.close();
    }

    private static double[] trajectory(HalfCheetahEnv env, long seed) {
        return runRandom(env, seed, 200, seed);
    }

    /** Runs {@code steps} steps of seeded random actions; returns every observation in a row. */
    private static double[] runRandom(HalfCheetahEnv env, long seed, int steps, long actionSeed) {
        env.reset(seed);
        SplittableRandom random = new SplittableRandom(actionSeed);
        double[] action = new double[6];
        double[] obs = new double[17];
        double[] all = new double[steps * 18];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < 6; j++) {
                action[j] = random.nextDouble(-1, 1);
            }
            all[s * 18] = env.step(action);
            env.observe(obs);
            System.arraycopy(obs, 0, all, s * 18 + 1, 17);
        }
        return all;
    }
}
