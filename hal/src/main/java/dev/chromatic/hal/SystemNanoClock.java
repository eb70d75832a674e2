package dev.chromatic.hal;

/** {@link NanoClock} backed by {@link System#nanoTime()}. Thread-safe. */
public final class SystemNanoClock implements NanoClock {

    /** The single instance. */
    public static final SystemNanoClock INSTANCE = new SystemNanoClock();

    private SystemNanoClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
