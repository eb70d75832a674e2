package dev.chromatic.hal.device;

import java.util.concurrent.locks.LockSupport;

/** Waits that chips need during set-up (oscillator start, reset), injectable so tests record them. */
@FunctionalInterface
public interface Pause {

    /** Waits at least {@code durationNs}. Only used at start-up, never inside the control loop. */
    void pauseNs(long durationNs);

    /** Parks the calling thread. */
    static Pause parking() {
        return durationNs -> {
            long deadline = System.nanoTime() + durationNs;
            for (long left = durationNs; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        };
    }
}
