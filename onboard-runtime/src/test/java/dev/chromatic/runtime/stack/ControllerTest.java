package dev.chromatic.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import org.junit.jupiter.api.Test;

class ControllerTest {

    /** A network that records its input and returns a fixed output. */
    private static final class FakeNetwork implements NetworkEvaluator {
        final double[] seen;
        final double[] answer;
        int calls;

        FakeNetwork(int in, double[] answer) {
            this.seen = new double[in];
            this.answer = answer;
        }

        @Override
        public int inputDim() {
            return seen.length;
        }

        @Override
        public int outputDim() {
            return answer.length;
        }

        @Override
        public void evaluate(double[] input, double[] output) {
            calls++;
            System.arraycopy(input, 0, seen, 0, input.length);
            System.arraycopy(answer, 0, output, 0, answer.length);
        }
    }

    @Test
    void normalisesClipsAndScalesAroundTheNetwork() {
        RobotSpec spec = RobotSpec.minitaur();
        DirectStack stack = new DirectStack(spec, 10_000_000L);
        double[] answer = new double[8];
        answer[0] = 0.5;
        answer[1] = -1.0;
        FakeNetwork net = new FakeNetwork(12, answer);
        double[] mean = new double[12];
        double[] std = new double[12];
        java.util.Arrays.fill(std, 1.0);
        mean[0] = 0.1;
        std[1] = 0.01;
        Controller c = new Controller(stack, net, mean, std, 5.0, DirectStack.defaultActionScale(),
                DirectStack.defaultActionOffset());
        SensorFrame f = new SensorFrame(8);
        f.rollRad = 0.3;
        f.pitchRad = 1.0;
        MotorCommand cmd = new MotorCommand(8);
        c.step(f, cmd);
        assertEquals(0.2, net.seen[0], 1e-12, "(0.3 - 0.1) / 1");
        assertEquals(5.0, net.seen[1], 1e-12, "1.0 / 0.01 clipped to 5");
        assertEquals(0.25, c.action()[0], 1e-12, "0.5 * scale 0.5");
        double[] expected = new double[8];
        spec.standingPose(expected);
        spec.legToMotorAngles(0, 0.25, spec.neutralExtensionRad() - 0.5, expected);
        assertArrayEquals(expected, cmd.positionRad, 1e-12);
        assertEquals(0.3, c.observation()[0]);
    }

    @Test
    void rejectsANetworkThatDoesNotFitTheStack() {
        RobotSpec spec = RobotSpec.minitaur();
        PmtgStack stack = new PmtgStack(spec, 10_000_000L, 0.5);
        FakeNetwork net = new FakeNetwork(12, new double[13]);
        assertThrows(IllegalArgumentException.class, () -> new Controller(stack, net, new double[7], new double[7], 5,
                new double[13], new double[13]));
    }

    @Test
    void stacksAreBuiltByIdAndUnknownIdsAreNamed() {
        RobotSpec spec = RobotSpec.minitaur();
        assertEquals(7, ControllerStacks.create("minitaur-pmtg", spec, 10_000_000L).observationDim());
        assertEquals(13, ControllerStacks.create("minitaur-pmtg", spec, 10_000_000L).actionDim());
        assertEquals(8, ControllerStacks.create("minitaur-direct", spec, 10_000_000L).actionDim());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ControllerStacks.create("hexapod", spec, 10_000_000L));
        assertEquals(true, e.getMessage().contains("hexapod"));
    }

    @Test
    void aWarmUpStepsTheGivenCopyOnVaryingStandingFrames() {
        RobotSpec spec = RobotSpec.minitaur();
        FakeNetwork net = new FakeNetwork(12, new double[8]);
        double[] std = new double[12];
        java.util.Arrays.fill(std, 1.0);
        Controller copy = new Controller(new DirectStack(spec, 10_000_000L), net, new double[12], std, 5.0,
                DirectStack.defaultActionScale(), DirectStack.defaultActionOffset());
        Controller.warmUp(copy, spec, 500);
        assertEquals(500, net.calls);
        // the readings moved: the last input differs from what a still robot would give
        assertNotEquals(0.0, net.seen[0]);
        for (double v : net.seen) {
            assertTrue(Double.isFinite(v));
        }
        assertThrows(IllegalArgumentException.class, () -> Controller.warmUp(copy, spec, -1));
    }
}
