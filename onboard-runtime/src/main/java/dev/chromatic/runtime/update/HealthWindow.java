package dev.chromatic.runtime.update;

import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.safety.TripListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the first seconds a new policy drives the robot: a safety trip inside the window means
 * the policy failed and must be rolled back. The window counts only time spent armed, so a policy
 * flashed to a resting robot is judged once it walks. Trips arrive on the loop thread
 * ({@link #onTrip}: lock-free, no allocation); the window is opened and polled on the update
 * service's thread with that thread's clock readings.
 */
public final class HealthWindow implements TripListener {

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
    private long remainingNs;
    private long lastPollNs;

    public HealthWindow(long windowNs) {
        if (windowNs <= 0) {
            throw new IllegalArgumentException("health window must be > 0 ns, was " + windowNs);
        }
        this.windowNs = windowNs;
    }

    public long windowNs() {
        return windowNs;
    }

    /** The safety supervisor's trip callback (loop thread). */
    @Override
    public void onTrip(Reason reason, long timeNs, long cycle) {
        recordTrip(reason.wireName());
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
        remainingNs = windowNs;
        lastPollNs = nowNs;
        open = true;
    }

    /** Stops watching without a verdict (e.g. another policy replaced this one). */
    public void cancel() {
        open = false;
    }

    public boolean isOpen() {
        return open;
    }

    /** {@link #poll(long, boolean)} for a robot that is armed the whole time. */
    public Outcome poll(long nowNs) {
        return poll(nowNs, true);
    }

    /**
     * Checks the window at {@code nowNs}; time since the last poll counts only when {@code armed}.
     * A trip wins over the window's end.
     */
    public Outcome poll(long nowNs, boolean armed) {
        if (!open) {
            return Outcome.IDLE;
        }
        if (trips.get() != tripsAtSwap) {
            open = false;
            return Outcome.TRIPPED;
        }
        if (armed) {
            remainingNs -= nowNs - lastPollNs;
        }
        lastPollNs = nowNs;
        if (remainingNs <= 0) {
            open = false;
            return Outcome.PASSED;
        }
        return Outcome.WATCHING;
    }
}
