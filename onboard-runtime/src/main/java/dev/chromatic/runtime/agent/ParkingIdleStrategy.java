package dev.chromatic.runtime.agent;

import java.util.concurrent.locks.LockSupport;

/** Parks for a fixed time when the agent had nothing to do: for background agents (telemetry). */
public final class ParkingIdleStrategy implements IdleStrategy {

    private final long parkNs;

    public ParkingIdleStrategy(long parkNs) {
        if (parkNs <= 0) {
            throw new IllegalArgumentException("parkNs must be > 0, was " + parkNs);
        }
        this.parkNs = parkNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            LockSupport.parkNanos(parkNs);
        }
    }
}
