package dev.chromatic.hal;

/**
 * A clock that moves only when told to: simulated time for lockstep runs and fake time for tests.
 * Not thread-safe; owned by the thread that advances it.
 */
public final class ManualNanoClock implements NanoClock {

    private long nowNs;

    public ManualNanoClock() {
        this(0L);
    }

    public ManualNanoClock(long startNs) {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    /** Moves time forward by {@code deltaNs} (must be non-negative). */
    public void advance(long deltaNs) {
        if (deltaNs < 0) {
            throw new IllegalArgumentException("deltaNs must be >= 0, was " + deltaNs);
        }
        nowNs += deltaNs;
    }

    /** Sets the current time; it may not go backwards. */
    public void set(long timeNs) {
        if (timeNs - nowNs < 0) {
            throw new IllegalArgumentException("time may not go backwards: " + timeNs + " < " + nowNs);
        }
        nowNs = timeNs;
    }
}
