package dev.chromatic.sim.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendulumEnvTest {

    @Test
    void oneStepMatchesGymEquationsComputedByHand() {
        PendulumEnv env = new PendulumEnv();
        env.setState(1.0, 0.5);
        // cost = 1 + 0.1*0.25 + 0.001*2.25; thdot' = 0.5 + (15 sin 1 + 3*1.5)*0.05; th' = 1 + thdot'*0.05
        double reward = env.step(new double[] {1.5});
        assertEquals(-1.02725, reward, 1e-12);
        assertEquals(1.3561032386059222, env.thetaDotRadPerS(), 1e-12);
        assertEquals(1.0678051619302962, env.thetaRad(), 1e-12);
        double[] obs = new double[3];
        env.observe(obs);
        assertArrayEquals(new double[] {Math.cos(1.0678051619302962), Math.sin(1.0678051619302962),
                1.3561032386059222}, obs, 1e-12);
    }

    @Test
    void clipsTorqueAndSpeedInGymOrder() {
        PendulumEnv env = new PendulumEnv();
        env.setState(3.0, 7.9);
        // u clipped to 2; thdot' = 7.9 + (15 sin 3 + 6)*0.05 = 8.30584...; th' uses the unclipped value
        double reward = env.step(new double[] {5.0});
        assertEquals(-(9.0 + 0.1 * 7.9 * 7.9 + 0.001 * 4.0), reward, 1e-12);
        assertEquals(3.0 + (7.9 + (15 * Math.sin(3.0) + 6.0) * 0.05) * 0.05, env.thetaRad(), 1e-12);
        assertEquals(8.0, env.thetaDotRadPerS(), 0.0);
    }

    @Test
    void costUsesTheNormalisedAngle() {
        PendulumEnv env = new PendulumEnv();
        env.setState(4.0, 0.0);
        double wrapped = 4.0 - 2 * Math.PI;
        assertEquals(-(wrapped * wrapped), env.step(new double[] {0.0}), 1e-12);
        assertEquals(-Math.PI, PendulumEnv.angleNormalize(Math.PI), 1e-12);
    }

    @Test
    void endsAfter200StepsAndResetIsSeeded() {
        PendulumEnv a = new PendulumEnv();
        PendulumEnv b = new PendulumEnv();
        a.reset(42);
        b.reset(42);
        assertEquals(a.thetaRad(), b.thetaRad(), 0.0);
        assertTrue(Math.abs(a.thetaRad()) <= Math.PI && Math.abs(a.thetaDotRadPerS()) <= 1.0);
        double[] u = {0.3};
        for (int i = 0; i < 199; i++) {
            a.step(u);
        }
        assertFalse(a.done());
        a.step(u);
        assertTrue(a.done());
        assertEquals(200, a.maxSteps());
    }
}
