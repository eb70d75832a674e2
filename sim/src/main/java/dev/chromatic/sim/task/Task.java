package dev.chromatic.sim.task;

import dev.chromatic.sim.MinitaurSim;

/**
 * Reward, termination and episode length over the simulator. The caller drives the sim through
 * the HAL; the task only looks at the sim's read-only views. Protocol per episode:
 * {@code sim.reset(seed); task.reset(sim);} then for each control step
 * {@code sim.read(..); controller; sim.write(..); r = task.reward(sim);} until {@code task.done()}.
 * Not thread-safe; one instance per sim. No allocation after construction.
 */
public interface Task {

    /** Stable id, e.g. {@code minitaur-walk}. */
    String id();

    /** Episode length in control steps. */
    int maxSteps();

    /** Starts an episode on a sim that has just been reset. */
    void reset(MinitaurSim sim);

    /** Reward of the control step the sim has just taken; also advances the step count and checks termination. */
    double reward(MinitaurSim sim);

    /** True once the episode is over (fell or reached {@link #maxSteps()}). */
    boolean done();

    /** True when the episode ended by a fall rather than by the time limit. */
    boolean fell();

    /** Control steps since {@link #reset}. */
    int stepCount();
}
