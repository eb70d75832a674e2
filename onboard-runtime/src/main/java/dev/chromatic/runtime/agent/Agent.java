package dev.chromatic.runtime.agent;

/**
 * A unit of repeated work driven by an {@link AgentRunner} on its own thread, or by a test calling
 * {@link #doWork()} one tick at a time. {@code doWork} never blocks and returns how much it did
 * (0 lets the runner's idle strategy wait).
 */
public interface Agent {

    /** Does one bounded slice of work; returns the amount done, 0 when there was nothing to do. */
    int doWork();

    /** Short name used for the thread and in messages. */
    String roleName();

    /** Called once on the agent's thread before the first {@link #doWork()}. */
    default void onStart() {
    }

    /** Called once on the agent's thread after the last {@link #doWork()}. */
    default void onClose() {
    }
}
