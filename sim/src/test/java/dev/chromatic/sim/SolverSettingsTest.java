package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jme3.bullet.SolverMode;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.gait.OpenLoopTrot;
import dev.chromatic.sim.physics.MinitaurBody;
import org.junit.jupiter.api.Test;

/** The contact solver's settings: bounded, off by default, and reaching Bullet when set. */
class SolverSettingsTest {

    @Test
    void theSolverKeysParseAndOutOfRangeIterationsAreRefusedNamingTheKey() {
        SimConfig c = SimConfig.builder().set("solverIterations", "5").set("frictionCone", "false")
                .set("articulatedWarmStart", "on").build();
        assertEquals(5, c.solverIterations);
        assertFalse(c.frictionCone);
        assertTrue(c.articulatedWarmStart);
        SimConfig copy = c.toBuilder().build();
        assertEquals(5, copy.solverIterations);
        assertFalse(copy.frictionCone);
        assertTrue(copy.articulatedWarmStart);
        SimConfig d = SimConfig.defaults();
        assertEquals(SimConfig.DEFAULT_SOLVER_ITERATIONS, d.solverIterations);
        assertTrue(d.frictionCone);
        assertFalse(d.articulatedWarmStart);
        for (String bad : new String[] {"0", "-3", "1001"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SimConfig.builder().set("solverIterations", bad).build());
            assertTrue(e.getMessage().contains("solverIterations") && e.getMessage().contains("1..1000"), e.getMessage());
        }
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> SimConfig.builder().set("solverIterations", "ten"));
        assertTrue(n.getMessage().contains("solverIterations"), n.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> SimConfig.builder().set("frictionCone", "maybe"));
        assertTrue(b.getMessage().contains("frictionCone"), b.getMessage());
    }

    @Test
    void theDefaultsLeaveBulletsSolverAsItWasAndEachSettingSetsItsOwnBit() {
        try (MinitaurBody body = new MinitaurBody(RobotSpec.minitaur(), 1.0, 1.0)) {
            int bulletIterations = body.solverIterations();
            int bulletMode = body.solverMode();
            assertEquals(SimConfig.DEFAULT_SOLVER_ITERATIONS, bulletIterations, "Bullet's own default");
            assertEquals(0, bulletMode & (SolverMode.NoCone | SolverMode.ArticulatedWarmStart));
            assertTrue((bulletMode & SolverMode.Use2Directions) != 0, "the cone needs two friction directions");
            SimConfig d = SimConfig.defaults();
            body.solver(d.solverIterations, d.frictionCone, d.articulatedWarmStart);
            assertEquals(bulletIterations, body.solverIterations());
            assertEquals(bulletMode, body.solverMode());
            body.solver(7, false, true);
            assertEquals(7, body.solverIterations());
            assertEquals(bulletMode | SolverMode.NoCone | SolverMode.ArticulatedWarmStart, body.solverMode());
            body.solver(10, true, false);
            assertEquals(bulletMode, body.solverMode());
            assertThrows(IllegalArgumentException.class, () -> body.solver(0, true, false));
        }
    }

    @Test
    void eachSettingChangesTheTrajectoryAndEachIsReproducible() {
        double[] base = trot(SimConfig.defaults());
        assertArrayEquals(base, trot(SimConfig.defaults()), 0.0);
        for (String[] kv : new String[][] {{"solverIterations", "5"}, {"frictionCone", "false"},
                {"articulatedWarmStart", "true"}}) {
            SimConfig c = SimConfig.builder().set(kv[0], kv[1]).build();
            double[] other = trot(c);
            assertArrayEquals(other, trot(c), 0.0, kv[0] + " is not reproducible");
            boolean differs = false;
            for (int i = 0; i < base.length; i++) {
                differs |= base[i] != other[i];
            }
            assertTrue(differs, kv[0] + "=" + kv[1] + " did not reach the physics");
        }
    }

    /** Base position after each of 100 control steps (1 s) of the open-loop trot. */
    private static double[] trot(SimConfig config) {
        try (MinitaurSim sim = MinitaurSim.create(config)) {
            sim.start();
            OpenLoopTrot gait = OpenLoopTrot.reference(sim.spec());
            SensorFrame frame = new SensorFrame(sim.spec().motorCount());
            MotorCommand command = new MotorCommand(sim.spec().motorCount());
            double[] out = new double[300];
            double[] p = new double[3];
            for (int k = 0; k < 100; k++) {
                sim.read(frame);
                gait.command(sim.simTimeNs(), command);
                sim.write(command);
                sim.basePosition(p);
                System.arraycopy(p, 0, out, 3 * k, 3);
            }
            return out;
        }
    }
}
