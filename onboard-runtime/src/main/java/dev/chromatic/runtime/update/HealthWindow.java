package dev.chromatic.runtime.update;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the first seconds after a policy swap: a safety trip inside the window means the new
 * policy failed and must be rolled back. Trips are recorded from the loop thread
 * ({@link #recordTrip}: lock-free, no allocation); the window is opened and polled on the update
 * service's thread with that thread's clock readings.
 */
public final class HealthWindow {

    /** What {@link #poll} found. */
    public enum Outcome {
        /** No window open. */
        IDLE,
        /** Window open, no trip yet. */
        WATCHING,
        /** The window ended without a trip: the policy is kept. */
        PASSED,
        /** The safety supervisor tripped inside the window: roll back. */
        TRIPPED
    }

    private final long windowNs;
    private final AtomicLong trips = new AtomicLong();
    private volatile String lastTripReason = "none";
    private boolean open;
    private long tripsAtSwap;
    private long deadlineNs;

    public HealthWindow(long windowNs) {
        if (windowNs <= 0) {
            throw new IllegalArgumentException("health window must be > 0 ns, was " + windowNs);
        }
        this.windowNs = windowNs;
    }

    public long windowNs() {
        return windowNs;
    }

    /** Counts a safety trip; called on the loop thread. {@code reasonWire} must be a constant. */
    public void recordTrip(String reasonWire) {
        lastTripReason = reasonWire;
        trips.incrementAndGet();
    }

    /** Trips recorded so far. */
    public long tripCount() {
        return trips.get();
    }

    /** Wire name of the last recorded trip's reason. */
    public String lastTripReason() {
        return lastTripReason;
    }

    /** Starts watching a policy swapped in at {@code nowNs}; trips before this call do not count. */
    public void open(long nowNs) {
        tripsAtSwap = trips.get();
        deadlineNs = nowNs + windowNs;
        open = true;
    }

    /** Stops watching without a verdict (e.g. another policy replaced this one). */
    public void cancel() {
        open = false;
    }

    public boolean isOpen() {
        return open;
    }

    /** Checks the window at {@code nowNs}; a trip wins over the window's end. */
    public Outcome poll(long nowNs) {
        if (!open) {
            return Outcome.IDLE;
        }
        if (trips.get() != tripsAtSwap) {
            open = false;
            return Outcome.TRIPPED;
        }
        if (nowNs - deadlineNs >= 0) {
            open = false;
            return Outcome.PASSED;
        }
        return Outcome.WATCHING;
    }
}
