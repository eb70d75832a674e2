package dev.chromatic.sim.hil;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;

/**
 * Makes the simulating {@link Hardware} a {@link SimServer} serves: one fresh, lockstep instance
 * per client session (each {@code write} advances one control period), so every session starts
 * from the same seeded state.
 */
public interface SimulatorFactory {

    /** The control period every created simulator advances per {@code write}. */
    long controlPeriodNs();

    /** A new simulator for one session, not yet started. */
    Hardware create(long seed) throws HardwareException;
}
