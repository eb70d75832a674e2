package dev.chromatic.hal;

/**
 * A backend that forwards to another one and lets its owner see, change or break what passes:
 * override {@link #afterRead} to observe or alter a frame, {@link #beforeWrite} to observe a command,
 * {@link #afterWrite} to score what the write did (a simulator has advanced by then). This is the
 * one wrapper tools and tests use to score runs, record commands and inject faults, instead of
 * copies of a backend. Forwards {@link #close} to the delegate.
 */
public class ForwardingHardware implements Hardware {

    protected final Hardware delegate;

    public ForwardingHardware(Hardware delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    public Hardware delegate() {
        return delegate;
    }

    @Override
    public RobotSpec spec() {
        return delegate.spec();
    }

    @Override
    public int measuredMask() {
        return delegate.measuredMask();
    }

    @Override
    public void start() throws HardwareException {
        delegate.start();
    }

    @Override
    public void read(SensorFrame out) {
        delegate.read(out);
        afterRead(out);
    }

    @Override
    public void write(MotorCommand command) {
        beforeWrite(command);
        delegate.write(command);
        afterWrite(command);
    }

    /** Called with every frame the delegate filled; may change it. Loop thread. */
    protected void afterRead(SensorFrame frame) {
    }

    /** Called with every command before the delegate gets it. Loop thread. */
    protected void beforeWrite(MotorCommand command) {
    }

    /** Called after the delegate took the command (a simulating delegate has advanced). Loop thread. */
    protected void afterWrite(MotorCommand command) {
    }

    @Override
    public void close() {
        delegate.close();
    }
}
