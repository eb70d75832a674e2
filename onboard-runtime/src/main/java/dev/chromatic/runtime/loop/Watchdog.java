package dev.chromatic.runtime.loop;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.events.CycleEpoch;

/**
 * Times the named epochs of each control cycle and tells which one overran. A cycle overruns when
 * it ends after its deadline plus the budget (one period). The epoch that took longest in an
 * overrunning cycle is blamed. Not thread-safe; used only on the loop thread; counters are read
 * from other threads as plain snapshots.
 */
public final class Watchdog {

    private static final int EPOCHS = CycleEpoch.values().length;

    private final NanoClock clock;
    private long budgetNs;
    private long deadlineNs;
    private long lastMarkNs;
    private final long[] epochNs = new long[EPOCHS];
    private final long[] maxEpochNs = new long[EPOCHS];
    private final long[] overrunsByEpoch = new long[EPOCHS];
    private volatile long overruns;
    private int consecutiveOverruns;
    private int lastOverrunEpoch = -1;
    private long lastCycleNs;

    public Watchdog(NanoClock clock, long budgetNs) {
        this.clock = clock;
        setBudgetNs(budgetNs);
    }

    public void setBudgetNs(long budgetNs) {
        if (budgetNs <= 0) {
            throw new IllegalArgumentException("budgetNs must be > 0, was " + budgetNs);
        }
        this.budgetNs = budgetNs;
    }

    /** Starts a cycle due at {@code deadlineNs} that woke at {@code nowNs}. */
    public void startCycle(long deadlineNs, long nowNs) {
        this.deadlineNs = deadlineNs;
        this.lastMarkNs = nowNs;
        for (int i = 0; i < EPOCHS; i++) {
            epochNs[i] = 0;
        }
        record(CycleEpoch.WAKE, nowNs - deadlineNs);
    }

    /** Ends {@code epoch} now (reads the clock once). */
    public void mark(CycleEpoch epoch) {
        long t = clock.nanoTime();
        record(epoch, t - lastMarkNs);
        lastMarkNs = t;
    }

    private void record(CycleEpoch epoch, long ns) {
        int i = epoch.ordinal();
        epochNs[i] = ns;
        if (ns > maxEpochNs[i]) {
            maxEpochNs[i] = ns;
        }
    }

    /** Ends the cycle; returns true when it overran ({@code end > deadline + budget}). */
    public boolean endCycle() {
        lastCycleNs = lastMarkNs - deadlineNs;
        if (lastMarkNs - (deadlineNs + budgetNs) > 0) {
            int worst = 0;
            for (int i = 1; i < EPOCHS; i++) {
                if (epochNs[i] > epochNs[worst]) {
                    worst = i;
                }
            }
            overrunsByEpoch[worst]++;
            lastOverrunEpoch = worst;
            consecutiveOverruns++;
            overruns = overruns + 1;
            return true;
        }
        consecutiveOverruns = 0;
        return false;
    }

    /** Duration of {@code epoch} in the current or last cycle. */
    public long epochNs(CycleEpoch epoch) {
        return epochNs[epoch.ordinal()];
    }

    public long maxEpochNs(CycleEpoch epoch) {
        return maxEpochNs[epoch.ordinal()];
    }

    public long overrunsIn(CycleEpoch epoch) {
        return overrunsByEpoch[epoch.ordinal()];
    }

    public long overruns() {
        return overruns;
    }

    public int consecutiveOverruns() {
        return consecutiveOverruns;
    }

    /** Deadline to end of the last cycle, lateness included. */
    public long lastCycleNs() {
        return lastCycleNs;
    }

    /** The epoch blamed for the last overrun, or null when none happened. */
    public CycleEpoch lastOverrunEpoch() {
        return lastOverrunEpoch < 0 ? null : CycleEpoch.of(lastOverrunEpoch);
    }
}
