package dev.chromatic.runtime.stack;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;

/**
 * The part of a control cycle between the sensor frame and the motor targets: the controller
 * stack with its network. Never allocates and never throws in {@link #step}; bad numbers are left
 * in the outputs for the safety supervisor to catch. Not thread-safe; called on the loop thread.
 */
public interface ControllerStep {

    /**
     * Starts a new run (filters, trajectory generator), called when the policy takes over;
     * {@code startPhaseRad} is the trajectory generator's starting phase (ignored by stacks without one).
     */
    void reset(double startPhaseRad);

    /** Fills {@code out} with motor targets for {@code frame}. */
    void step(SensorFrame frame, MotorCommand out);

    /** The last raw observation (read-only, for telemetry). */
    double[] observation();

    /** The last action the network produced (read-only; checked for NaN/Inf by safety). */
    double[] action();
}
