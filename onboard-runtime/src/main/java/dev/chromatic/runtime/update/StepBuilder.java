package dev.chromatic.runtime.update;

import dev.chromatic.runtime.loop.ControllerStep;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;

/**
 * Builds everything the control loop needs to run a policy (the fixed-point network and the
 * controller around it) ahead of the swap, off the loop thread.
 */
@FunctionalInterface
public interface StepBuilder {

    ControllerStep build(Policy policy) throws PolicyFormatException;
}
