package dev.chromatic.hal.device;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

/**
 * E-stop button on a GPIO input (GpioD provider on the robot): a normally-closed button to ground
 * with the pull-up on reads low while the robot may run. An unreadable line counts as pressed.
 */
public final class Pi4jEstopInput implements EstopInput {

    private static final String ID = "chromatic-estop";

    private final Context pi4j;
    private final DigitalInput input;
    private final boolean pressedWhenHigh;

    private Pi4jEstopInput(Context pi4j, DigitalInput input, boolean pressedWhenHigh) {
        this.pi4j = pi4j;
        this.input = input;
        this.pressedWhenHigh = pressedWhenHigh;
    }

    /** Opens BCM line {@code bcmPin} with the pull-up enabled. */
    public static Pi4jEstopInput open(Context pi4j, int bcmPin, boolean pressedWhenHigh) {
        DigitalInput in = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                .id(ID).name("E-stop").address(bcmPin).pull(PullResistance.PULL_UP).build());
        return new Pi4jEstopInput(pi4j, in, pressedWhenHigh);
    }

    @Override
    public boolean pressed() {
        try {
            DigitalState state = input.state();
            if (state == DigitalState.UNKNOWN) {
                return true;
            }
            return (state == DigitalState.HIGH) == pressedWhenHigh;
        } catch (RuntimeException lineError) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            pi4j.shutdown(ID);
        } catch (RuntimeException ignored) {
            // released by the context shutdown
        }
    }
}
