package dev.chromatic.runtime.telemetry;

/**
 * Where telemetry goes (an MQTT link in production, a recording fake in tests). Implementations
 * never block for long and never throw: a message that cannot go out now is refused with false.
 */
public interface Publisher {

    /** Sends one message; false when not connected or the in-flight window is full. */
    boolean publish(String topic, byte[] payload, int qos, boolean retained);

    boolean isConnected();

    /** Connection housekeeping (e.g. reconnect attempts) at {@code nowNs}; returns work done. */
    default int doWork(long nowNs) {
        return 0;
    }
}
