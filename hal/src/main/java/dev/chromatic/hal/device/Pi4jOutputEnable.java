package dev.chromatic.hal.device;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;

/**
 * The PCA9685's OE input on a GPIO output (GpioD provider on the robot). The line is requested
 * high (outputs disabled) and its Pi4J shutdown state is high too, so a context shutdown (also the
 * one Pi4J runs from its JVM shutdown hook) leaves the outputs disabled. A killed process runs no
 * shutdown at all: then the external pull-up holds OE high once the line is released.
 */
public final class Pi4jOutputEnable implements OutputEnable {

    /** Pi4J id of the line. */
    public static final String ID = "chromatic-oe";

    private final Context pi4j;
    private final DigitalOutput output;

    private Pi4jOutputEnable(Context pi4j, DigitalOutput output) {
        this.pi4j = pi4j;
        this.output = output;
    }

    /** Opens BCM line {@code bcmPin} as an output, high (disabled) from the start and at shutdown. */
    public static Pi4jOutputEnable open(Context pi4j, int bcmPin) {
        DigitalOutput out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                .id(ID).name("PCA9685 OE").address(bcmPin)
                .initial(DigitalState.HIGH).shutdown(DigitalState.HIGH).build());
        return new Pi4jOutputEnable(pi4j, out);
    }

    @Override
    public boolean enable() {
        return set(DigitalState.LOW);
    }

    @Override
    public boolean disable() {
        return set(DigitalState.HIGH);
    }

    private boolean set(DigitalState state) {
        try {
            output.state(state);
            return true;
        } catch (RuntimeException lineError) {
            return false;
        }
    }

    @Override
    public void close() {
        disable();
        try {
            pi4j.shutdown(ID);
        } catch (RuntimeException ignored) {
            // released by the context shutdown, which sets the shutdown state (high) as well
        }
    }
}
