package dev.chromatic.runtime.agent;

/** Never gives up the CPU: lowest wake-up latency, one core fully used. */
public final class BusySpinIdleStrategy implements IdleStrategy {

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            Thread.onSpinWait();
        }
    }
}
