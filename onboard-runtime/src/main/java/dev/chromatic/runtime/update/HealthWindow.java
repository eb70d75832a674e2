package dev.chromatic.runtime.update;

import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.safety.TripListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the first seconds a new policy drives the robot: a safety trip the policy caused inside
 * the window means the policy failed and must be rolled back. Only trips that judge the policy
 * count ({@link #blamesPolicy}: roll or pitch limit, a non-finite action, overruns, a controller
 * fault); an operator E-stop, a pressed E-stop button, a lost operator link, stale or invalid
 * sensors and every other reason say nothing about the policy and leave the window running. The
 * window counts only time spent armed, so a policy flashed to a resting robot is judged once it
 * walks. Trips arrive on the loop thread
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
    private final AtomicLong ignoredTrips = new AtomicLong();
    private volatile String lastTripReason = "none";
    private volatile String lastIgnoredReason = "none";
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

    /**
     * Whether a trip for {@code reason} is evidence against the policy driving the robot: the
     * attitude limits, a non-finite action, cycle overruns (the policy's inference too slow) and a
     * controller exception. Everything else (E-stops, link loss, sensor loss, hardware faults, a
     * failed stand-up, which runs before the policy takes over) is not.
     */
    public static boolean blamesPolicy(Reason reason) {
        return switch (reason) {
            case ROLL_LIMIT, PITCH_LIMIT, NON_FINITE_ACTION, OVERRUNS, CONTROLLER_FAULT -> true;
            default -> false;
        };
    }

    /**
     * The safety supervisor's trip callback (loop thread): a trip that {@link #blamesPolicy blames
     * the policy} counts against an open window, any other is only noted.
     */
    @Override
    public void onTrip(Reason reason, long timeNs, long cycle) {
        if (blamesPolicy(reason)) {
            lastTripReason = reason.wireName();
            trips.incrementAndGet();
        } else {
            lastIgnoredReason = reason.wireName();
            ignoredTrips.incrementAndGet();
        }
    }

    /** Trips that blamed the policy, recorded so far. */
    public long tripCount() {
        return trips.get();
    }

    /** Trips that did not blame the policy (E-stop, link or sensor loss, ...), recorded so far. */
    public long ignoredTripCount() {
        return ignoredTrips.get();
    }

    /** Wire name of the last trip that did not blame the policy. */
    public String lastIgnoredReason() {
        return lastIgnoredReason;
    }

    /** Wire name of the last trip that blamed the policy. */
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
     * A trip that blames the policy wins over the window's end.
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
