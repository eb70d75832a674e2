package dev.chromatic.hal;

/**
 * A monotonic time source in nanoseconds. Logic never calls {@link System#nanoTime()} itself: it is
 * handed a clock, reads it once per cycle and compares deadlines by subtraction
 * ({@code deadlineNs - nowNs < 0}).
 */
@FunctionalInterface
public interface NanoClock {

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The wall-independent system clock ({@link System#nanoTime()}). */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}
