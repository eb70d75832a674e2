package dev.chromatic.hal.device;

/**
 * The local reset button ({@code device.reset_pin}), read once per cycle. Unlike the E-stop, a line
 * that cannot be read counts as not pressed: a broken reset button must never clear a latch.
 * Implementations never throw.
 */
@FunctionalInterface
public interface ResetInput extends AutoCloseable {

    /** True only while the button is known to be pressed. */
    boolean pressed();

    @Override
    default void close() {
    }

    /** No button wired: never pressed. */
    static ResetInput none() {
        return () -> false;
    }
}
