package dev.chromatic.runtime.agent;

import dev.chromatic.hal.NanoClock;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeps until shortly before the agent's next deadline, then spins: the park covers most of the
 * period (CPU left to others), the final {@code spinNs} absorbs the kernel's wake-up jitter and
 * timer slack. A larger {@code spinNs} buys lower lateness for more CPU.
 */
public final class DeadlineIdleStrategy implements IdleStrategy {

    private final NanoClock clock;
    private final DeadlineSource source;
    private final long spinNs;

    public DeadlineIdleStrategy(NanoClock clock, DeadlineSource source, long spinNs) {
        if (spinNs < 0) {
            throw new IllegalArgumentException("spinNs must be >= 0, was " + spinNs);
        }
        this.clock = clock;
        this.source = source;
        this.spinNs = spinNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            return;
        }
        long remainingNs = source.nextDeadlineNs() - clock.nanoTime();
        if (remainingNs > spinNs) {
            LockSupport.parkNanos(remainingNs - spinNs);
        } else {
            Thread.onSpinWait();
        }
    }
}
