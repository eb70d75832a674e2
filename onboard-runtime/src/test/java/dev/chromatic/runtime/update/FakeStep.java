package dev.chromatic.runtime.update;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.stack.ControllerStep;

/** A controller for the fake stack: observation (roll, pitch, roll rate), motor targets offset by the actions. */
final class FakeStep implements ControllerStep {

    final Policy policy;
    private final FloatNetwork network;
    private final double[] observation;
    private final double[] action;

    FakeStep(Policy policy) {
        this.policy = policy;
        this.network = FloatNetwork.of(policy);
        this.observation = new double[policy.observationDim()];
        this.action = new double[policy.actionDim()];
    }

    @Override
    public void reset(double startPhaseRad) {
    }

    @Override
    public void step(SensorFrame frame, MotorCommand out) {
        observation[0] = frame.rollRad;
        observation[1] = frame.pitchRad;
        observation[2] = frame.rollRateRadPerS;
        network.evaluate(observation, action);
        out.mode = MotorCommand.Mode.POSITION;
        for (int m = 0; m < out.motorCount; m++) {
            out.positionRad[m] = frame.motorAngleRad[m] + 0.01 * action[m % action.length];
        }
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
