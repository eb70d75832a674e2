package dev.chromatic.hal.device;

/** The hardware E-stop button, read once per cycle. Implementations never throw. */
@FunctionalInterface
public interface EstopInput extends AutoCloseable {

    /** True while the button is pressed, or when its state cannot be read. */
    boolean pressed();

    @Override
    default void close() {
    }

    /** No button wired: never pressed. */
    static EstopInput none() {
        return () -> false;
    }
}
