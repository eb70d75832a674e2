package dev.chromatic.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import org.junit.jupiter.api.Test;

class PmtgStackTest {

    private final RobotSpec spec = RobotSpec.minitaur();

    @Test
    void observesAttitudeRatesPhaseAndSpeed() {
        PmtgStack stack = new PmtgStack(spec, 10_000_000L, 0.5);
        stack.reset(0.0);
        SensorFrame f = new SensorFrame(8);
        f.rollRad = 0.1;
        f.pitchRad = -0.2;
        f.rollRateRadPerS = 1.5;
        f.pitchRateRadPerS = -2.5;
        double[] obs = new double[7];
        stack.observe(f, obs);
        assertEquals(0.1, obs[0]);
        assertEquals(-0.2, obs[1]);
        assertEquals(1.5, obs[2]);
        assertEquals(-2.5, obs[3]);
        assertEquals(1.0, obs[4], 1e-12, "(cos 0 + 1)/2");
        assertEquals(0.5, obs[5], 1e-12, "(sin 0 + 1)/2");
        assertEquals(0.5, obs[6]);
    }

    @Test
    void phaseAdvancesByTwoPiFrequencyPeriod() {
        PmtgStack stack = new PmtgStack(spec, 10_000_000L, 0.5);
        stack.reset(0.0);
        double[] action = PmtgStack.defaultActionOffset();
        action[8] = 2.0;
        MotorCommand cmd = new MotorCommand(8);
        SensorFrame f = new SensorFrame(8);
        for (int i = 0; i < 10; i++) {
            stack.act(action, f, cmd);
        }
        assertEquals(2 * Math.PI * 2.0 * 0.1, stack.trajectoryGenerator().phaseRad(), 1e-9);
    }

    @Test
    void zeroIntensityAndResidualsHoldTheStandingPose() {
        PmtgStack stack = new PmtgStack(spec, 10_000_000L, 0.5);
        stack.reset(0.0);
        double[] action = new double[13];
        action[8] = 2.0;
        action[12] = 0.3;
        MotorCommand cmd = new MotorCommand(8);
        stack.act(action, new SensorFrame(8), cmd);
        double[] stand = new double[8];
        spec.standingPose(stand);
        for (int m = 0; m < 8; m++) {
            assertEquals(stand[m], cmd.positionRad[m], 1e-12);
        }
        assertEquals(MotorCommand.Mode.POSITION, cmd.mode);
    }

    @Test
    void diagonalLegsMoveTogetherAndTargetsStayWithinLimits() {
        PmtgStack stack = new PmtgStack(spec, 10_000_000L, 0.5);
        stack.reset(0.0);
        double[] action = PmtgStack.defaultActionOffset();
        action[9] = 1.5;
        MotorCommand cmd = new MotorCommand(8);
        SensorFrame f = new SensorFrame(8);
        for (int i = 0; i < 200; i++) {
            action[i % 8] = (i % 3 - 1) * 1.0; // residuals beyond the +-0.15 limit get clamped
            stack.act(action, f, cmd);
            double[] m = cmd.positionRad;
            assertEquals(spec.extensionOf(0, m), spec.extensionOf(3, m), 0.15 * 2 + 1e-9);
            for (int k = 0; k < 8; k++) {
                assertTrue(m[k] >= spec.minPositionRad(k) && m[k] <= spec.maxPositionRad(k));
            }
        }
    }

    @Test
    void swingMovesTheToeForwardWhileTheLegIsLifted() {
        TrajectoryGenerator tg = new TrajectoryGenerator(10_000_000L);
        tg.reset(0.0);
        double[] swing = new double[4];
        double[] ext = new double[4];
        double[] prevSwing = new double[4];
        // intensity ramps by 0.1 a step: let it reach 1 first
        for (int i = 0; i < 10; i++) {
            tg.step(0.0, 1.0, 0.0, 1.0, 0.3, swing, ext);
        }
        tg.reset(0.0);
        for (int i = 0; i < 10; i++) {
            tg.step(0.0, 1.0, 0.0, 1.0, 0.3, swing, ext);
        }
        for (int i = 0; i < 20; i++) {
            System.arraycopy(swing, 0, prevSwing, 0, 4);
            tg.step(2.0, 1.0, 0.0, 1.0, 0.3, swing, ext);
            if (tg.phaseRad() < Math.PI * 0.9) {
                assertTrue(ext[0] >= 0.0, "leg 0 lifts (extension up) in its swing half");
                assertTrue(swing[0] >= prevSwing[0] - 1e-12, "leg 0 swings forward");
            }
        }
    }
}
