package dev.chromatic.sim.classic;

/**
 * A cheap control task that needs no physics engine, for fast trainer tests. Lockstep: each
 * {@link #step} advances one time step and returns that step's reward. Not thread-safe; one
 * instance per worker thread. {@link #observe} and {@link #step} never allocate.
 */
public interface ClassicEnv {

    /** Length of the observation vector written by {@link #observe}. */
    int observationDim();

    /** Length of the action vector read by {@link #step}. */
    int actionDim();

    /** Starts a new episode; the initial state is drawn from a stream seeded with {@code seed}. */
    void reset(long seed);

    /** Writes the current observation into {@code out[0 .. observationDim())}. */
    void observe(double[] out);

    /** Applies {@code action} (clipped to the task's range) for one step and returns the reward. */
    double step(double[] action);

    /** True once the episode has ended (time limit or a terminal state). */
    boolean done();

    /** Episode length limit in steps. */
    int maxSteps();

    /** Steps taken since the last {@link #reset}. */
    int stepCount();
}
