package dev.chromatic.runtime.update;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;

/**
 * What a policy must match to run on this robot: the robot model, the controller stack and its
 * observation and action sizes, and the control period the loop runs at. Immutable.
 */
public record PolicyCompatibility(String robot, String stackId, int observationDim, int actionDim,
                                  long controlPeriodNs) {

    public static PolicyCompatibility of(RobotSpec spec, String stackId, int observationDim, int actionDim,
                                         long controlPeriodNs) {
        return new PolicyCompatibility(spec.name(), stackId, observationDim, actionDim, controlPeriodNs);
    }

    /** Throws naming the first field of {@code p} that does not fit this robot. */
    public void check(Policy p) throws PolicyFormatException {
        if (!robot.equals(p.robot())) {
            throw new PolicyFormatException("robot", "policy is for '" + p.robot() + "', this robot is '" + robot + "'");
        }
        if (!stackId.equals(p.stack())) {
            throw new PolicyFormatException("stack", "policy needs controller stack '" + p.stack()
                    + "', this robot runs '" + stackId + "'");
        }
        if (p.observationDim() != observationDim) {
            throw new PolicyFormatException("layer_sizes[0]", "observation size " + p.observationDim()
                    + " does not match the stack's " + observationDim);
        }
        if (p.actionDim() != actionDim) {
            throw new PolicyFormatException("layer_sizes[" + p.layerCount() + "]", "action size " + p.actionDim()
                    + " does not match the stack's " + actionDim);
        }
        if (p.controlPeriodNs() != controlPeriodNs) {
            throw new PolicyFormatException("control_period_ns", "policy was trained at " + p.controlPeriodNs()
                    + " ns, the loop runs at " + controlPeriodNs + " ns");
        }
    }
}
