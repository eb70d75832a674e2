package dev.chromatic.hal;

/**
 * The one interface between the controller and a robot: the real device (Pi4J), the in-process
 * simulator (Bullet) or a remote simulator over UDP (hardware-in-the-loop). The runtime never
 * knows which backend it drives.
 *
 * <p>Contract for every backend:
 * <ul>
 *   <li>{@link #start()} may block and throw; {@link #read} and {@link #write} never throw and never
 *       allocate: a fault clears the matching validity flags of the frame and is counted.</li>
 *   <li>{@link #read} and {@link #write} are called only from the control thread.</li>
 *   <li>Simulating backends are lockstep: each {@link #write} applies the command and advances the
 *       simulated world by one control period, so the next {@link #read} sees its effect. Real
 *       hardware moves on its own; its {@code write} only sends.</li>
 * </ul>
 */
public interface Hardware extends AutoCloseable {

    /** The robot this backend drives (motor order, limits, geometry). */
    RobotSpec spec();

    /**
     * The {@link SensorFrame} validity bits this backend will ever set (e.g. no
     * {@code VALID_MOTOR_ANGLES} for hobby servos without encoders). The loop's composition derives
     * what the safety supervisor requires, and where a stand-up starts, from it.
     */
    int measuredMask();

    /** Opens buses, wakes chips or connects; fails loudly so a robot never starts half-configured. */
    void start() throws HardwareException;

    /** Fills {@code out} with the newest sensor data, timestamps and validity flags. */
    void read(SensorFrame out);

    /** Sends motor targets. Simulating backends then advance one control period. */
    void write(MotorCommand command);

    /** Puts motors into a passive state and releases the bus or socket. Idempotent. */
    @Override
    void close();
}
