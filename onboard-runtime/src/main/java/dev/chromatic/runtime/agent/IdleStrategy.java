package dev.chromatic.runtime.agent;

/** What an {@link AgentRunner} does between two {@link Agent#doWork()} calls. Never allocates. */
public interface IdleStrategy {

    /** Waits (or not) given the work count the agent just returned. */
    void idle(int workCount);
}
