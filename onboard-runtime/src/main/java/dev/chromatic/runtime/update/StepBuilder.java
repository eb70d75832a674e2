package dev.chromatic.runtime.update;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStep;

/**
 * Builds everything the control loop needs to run a policy (the fixed-point network and the
 * controller around it) ahead of the swap, off the loop thread.
 */
@FunctionalInterface
public interface StepBuilder {

    ControllerStep build(Policy policy) throws PolicyFormatException;

    /** The robot's builder: fixed-point mailman network inside the policy's controller stack. */
    static StepBuilder mailman(RobotSpec spec) {
        return policy -> {
            try {
                return Controller.of(policy, MailmanNetwork.of(policy), spec);
            } catch (IllegalArgumentException e) {
                throw new PolicyFormatException("controller", e.getMessage(), e);
            }
        };
    }
}
