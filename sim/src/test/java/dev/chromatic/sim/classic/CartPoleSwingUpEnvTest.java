package dev.chromatic.sim.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CartPoleSwingUpEnvTest {

    @Test
    void oneStepMatchesReferenceEquationsComputedByHand() {
        CartPoleSwingUpEnv env = new CartPoleSwingUpEnv();
        env.setState(0.1, 0.2, 0.5, -0.3);
        double reward = env.step(new double[] {0.5});
        double[] s = new double[4];
        env.state(s);
        // Values evaluated independently from the documented equations with F = 5 N.
        assertArrayEquals(new double[] {0.102, 0.2917174844606601, 0.497, 0.018923132185148184}, s, 1e-12);
        assertEquals(0.9374156470917983, reward, 1e-12);
        double[] obs = new double[5];
        env.observe(obs);
        assertArrayEquals(new double[] {0.102, 0.2917174844606601, Math.cos(0.497), Math.sin(0.497),
                0.018923132185148184}, obs, 1e-12);
    }

    @Test
    void leavingTheTrackEndsTheEpisode() {
        CartPoleSwingUpEnv env = new CartPoleSwingUpEnv();
        env.setState(2.399, 1.0, 0.0, 0.0);
        assertFalse(env.done());
        env.step(new double[] {0.0});
        assertTrue(env.done());
    }

    @Test
    void clipsActionToUnitRange() {
        CartPoleSwingUpEnv a = new CartPoleSwingUpEnv();
        CartPoleSwingUpEnv b = new CartPoleSwingUpEnv();
        a.setState(0, 0, Math.PI, 0);
        b.setState(0, 0, Math.PI, 0);
        a.step(new double[] {7.0});
        b.step(new double[] {1.0});
        a.step(new double[] {7.0});
        b.step(new double[] {1.0});
        double[] sa = new double[4];
        double[] sb = new double[4];
        a.state(sa);
        b.state(sb);
        assertArrayEquals(sb, sa, 0.0);
        assertTrue(sa[1] > 0);
    }

    @Test
    void startsHangingDownAndRunsAtMost1000Steps() {
        CartPoleSwingUpEnv env = (CartPoleSwingUpEnv) ClassicEnvs.create("cartpole-swingup");
        env.reset(7);
        double[] s = new double[4];
        env.state(s);
        assertTrue(Math.abs(s[2] - Math.PI) < 1.5);
        int n = 0;
        while (!env.done()) {
            env.step(new double[] {0.0});
            n++;
        }
        assertTrue(n <= 1000);
        assertEquals(5, env.observationDim());
        assertEquals(1, env.actionDim());
    }

    @Test
    void unknownEnvIdIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassicEnvs.create("acrobot"));
        assertTrue(e.getMessage().contains("acrobot"));
        assertEquals(PendulumEnv.class, ClassicEnvs.create("pendulum").getClass());
    }
}
