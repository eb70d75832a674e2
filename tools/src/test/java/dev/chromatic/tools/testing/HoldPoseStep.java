package dev.chromatic.tools.testing;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.stack.ControllerStep;

/** A controller that holds the measured pose: a stand-in robot stays upright while armed. */
public final class HoldPoseStep implements ControllerStep {
    private final double[] observation = new double[1];
    private final double[] action = new double[8];

    @Override
    public void reset(double startPhaseRad) {
    }

    @Override
    public void step(SensorFrame frame, MotorCommand out) {
        System.arraycopy(frame.motorAngleRad, 0, out.positionRad, 0, 8);
        out.mode = MotorCommand.Mode.POSITION;
    }

    @Override
    public double[] observation() {
        return observation;
    }

    @Override
    public double[] action() {
        return action;
    }
}
