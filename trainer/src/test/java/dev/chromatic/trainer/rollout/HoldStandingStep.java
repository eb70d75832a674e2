package dev.chromatic.trainer.rollout;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.stack.ControllerStep;

/** A controller that holds a robot's standing pose: where the hand-over is tested, not a gait. */
final class HoldStandingStep implements ControllerStep {
    private final double[] standing = new double[8];
    private final double[] none = new double[0];

    HoldStandingStep(RobotSpec spec) {
        spec.standingPose(standing);
    }

    @Override
    public void reset(double startPhaseRad) {
    }

    @Override
    public void step(SensorFrame frame, MotorCommand out) {
        System.arraycopy(standing, 0, out.positionRad, 0, 8);
        out.mode = MotorCommand.Mode.POSITION;
    }

    @Override
    public double[] observation() {
        return none;
    }

    @Override
    public double[] action() {
        return none;
    }
}
