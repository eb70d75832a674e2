package dev.chromatic.hal.device;

/**
 * The PCA9685's active-low OE (output enable) input, driven from a GPIO line: low lets the outputs
 * follow the chip's registers, high forces every output low (MODE2 OUTNE = 00 with totem-pole
 * outputs), so no servo receives a pulse whatever the registers hold. Wired with a pull-up to
 * "disabled" (docs/robot-build.md), so a process that is gone, or a Pi that is booting, leaves the
 * outputs off. Implementations never throw.
 */
public interface OutputEnable extends AutoCloseable {

    /** Drives OE low (outputs enabled); false when the line could not be set. */
    boolean enable();

    /** Drives OE high (outputs disabled); false when the line could not be set. */
    boolean disable();

    /** Disables the outputs and releases the line. */
    @Override
    default void close() {
        disable();
    }

    /** No OE line wired: the outputs follow the registers alone (setting succeeds, changes nothing). */
    static OutputEnable none() {
        return new OutputEnable() {
            @Override
            public boolean enable() {
                return true;
            }

            @Override
            public boolean disable() {
                return true;
            }
        };
    }
}
