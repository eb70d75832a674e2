package dev.chromatic.hal;

/**
 * A hardware backend could not start (bus missing, chip not answering, server unreachable).
 * Thrown only from {@link Hardware#start()}; inside the loop faults are reported through the
 * validity flags of {@link SensorFrame}, never by exceptions.
 */
public class HardwareException extends Exception {

    private static final long serialVersionUID = 1L;

    public HardwareException(String message) {
        super(message);
    }

    public HardwareException(String message, Throwable cause) {
        super(message, cause);
    }
}
