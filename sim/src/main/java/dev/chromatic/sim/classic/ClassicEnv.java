package dev.chromatic.sim.classic;

/**
 * A lockstep control task without the robot's controller stack: the classic control tasks (no
 * physics engine, fast enough for trainer tests) and the MuJoCo-style locomotion task on Bullet
 * ({@code halfcheetah}). Each {@link #step} advances one time step and returns that step's reward.
 * Not thread-safe; one instance per worker thread. {@link #observe} and {@link #step} never
 * allocate.
 */
public interface ClassicEnv extends AutoCloseable {

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

    /** Time one {@link #step} covers. */
    long controlPeriodNs();

    /** Actions are clipped to {@code +-actionBound()}: the scale a policy's tanh output gets. */
    double actionBound();

    /** Forward distance covered since the last {@link #reset} (0 for tasks that do not travel). */
    default double distanceM() {
        return 0.0;
    }

    /** Releases native resources (a physics space); the environment cannot be used after. */
    @Override
    default void close() {
    }
}
