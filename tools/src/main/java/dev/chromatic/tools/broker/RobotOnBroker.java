package dev.chromatic.tools.broker;

import dev.chromatic.runtime.telemetry.Topics;
import dev.chromatic.tools.BadInputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which robot, on which broker, with which credentials: the options every command that talks to a
 * robot over MQTT shares (a picocli mixin: {@code --robot}, {@code --broker} and {@link BrokerOptions}).
 */
public final class RobotOnBroker {

    /** Where a robot's broker is when none is named: Mosquitto's default listener on this machine. */
    public static final String DEFAULT_BROKER = "tcp://localhost:1883";

    @Option(names = "--robot", required = true, paramLabel = "ID", description = "Robot id.")
    String robot;

    @Option(names = "--broker", defaultValue = DEFAULT_BROKER, paramLabel = "URL",
            description = "MQTT broker (default: ${DEFAULT-VALUE}).")
    String broker;

    @Mixin
    BrokerOptions options = new BrokerOptions();

    /** The robot id; a BadInputException when it cannot name a robot's topics. */
    public String robot() {
        if (robot == null || !Topics.isValidRobotId(robot)) {
            throw new BadInputException("--robot '" + robot + "' must be 1-64 letters, digits, '-' or '_'");
        }
        return robot;
    }

    /** The broker's URL. */
    public String broker() {
        return broker;
    }

    /** Credentials and TLS material for the broker. */
    public BrokerOptions options() {
        return options;
    }
}
