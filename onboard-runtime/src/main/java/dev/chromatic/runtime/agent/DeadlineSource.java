package dev.chromatic.runtime.agent;

/** An agent that knows when it next has work: its next absolute deadline on its clock. */
public interface DeadlineSource {

    /** The next deadline in nanoseconds on the agent's clock. */
    long nextDeadlineNs();
}
