package dev.chromatic.hal.device;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

/**
 * The local reset button on a GPIO input: a normally-open push button to ground with the pull-up
 * on, so the line reads low only while it is pressed. An unreadable line reads as not pressed.
 */
public final class Pi4jResetInput implements ResetInput {

    private static final String ID = "chromatic-reset";

    private final Context pi4j;
    private final DigitalInput input;

    private Pi4jResetInput(Context pi4j, DigitalInput input) {
        this.pi4j = pi4j;
        this.input = input;
    }

    /** Opens BCM line {@code bcmPin} with the pull-up enabled. */
    public static Pi4jResetInput open(Context pi4j, int bcmPin) {
        DigitalInput in = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                .id(ID).name("reset").address(bcmPin).pull(PullResistance.PULL_UP).build());
        return new Pi4jResetInput(pi4j, in);
    }

    @Override
    public boolean pressed() {
        try {
            return input.state() == DigitalState.LOW;
        } catch (RuntimeException lineError) {
            return false;
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
