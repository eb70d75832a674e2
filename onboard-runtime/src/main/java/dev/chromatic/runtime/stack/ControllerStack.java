package dev.chromatic.runtime.stack;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;

/**
 * The robot-specific ends of the controller: how a sensor frame becomes the policy's observation,
 * and how the policy's (scaled) action becomes motor targets, e.g. a PMTG trajectory generator and
 * the swing/extension to motor-angle mapping. The same code runs in a training rollout and on the
 * robot. Never allocates after construction. Not thread-safe.
 */
public interface ControllerStack {

    /** Stable id written into policy files, e.g. {@code minitaur-pmtg}. */
    String id();

    int observationDim();

    int actionDim();

    /** The control period this stack integrates its internal state with (e.g. TG phase). */
    long controlPeriodNs();

    /** Starts a new episode (filters, commanded speed; the TG at {@code startPhaseRad}, if it has one). */
    void reset(double startPhaseRad);

    /** Builds the raw (un-normalised) observation from a frame. */
    void observe(SensorFrame frame, double[] observationOut);

    /** Turns a scaled action into motor targets and advances internal state by one period. */
    void act(double[] action, SensorFrame frame, MotorCommand out);
}
