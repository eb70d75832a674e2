package dev.chromatic.tools.flash;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.broker.RobotOnBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chromatic status}: prints a robot's last published state (the retained state topic). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints the robot's state from chromatic/<id>/state: safety state, loop figures and the",
                "policy slots (active and previous sha256 and version). Exit 1 when the robot has published nothing."})
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    RobotOnBroker target = new RobotOnBroker();

    @Option(names = "--timeout", defaultValue = "5", paramLabel = "S", description = "Seconds to wait for a state message (default: ${DEFAULT-VALUE}).")
    int timeoutS;

    @Option(names = "--json", description = "Print the state as one JSON object, as the robot sent it.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        String robot = target.robot();
        String broker = target.broker();
        BrokerOptions brokerOptions = target.options();
        String id = robot;
        if (timeoutS <= 0) {
            throw new BadInputException("--timeout must be > 0, was " + timeoutS);
        }
        try (BrokerSession session = BrokerSession.connect(broker, "status", timeoutS, brokerOptions)) {
            session.subscribe(FlashFiles.topic(id, "state"));
            BrokerSession.Received r = session.poll(timeoutS * 1_000_000_000L);
            if (r == null) {
                System.err.println("chromatic status: robot " + id + " has published no state on "
                        + FlashFiles.topic(id, "state") + " (is it running and connected to " + broker + "?)");
                return 1;
            }
            String text = new String(r.payload(), StandardCharsets.UTF_8);
            if (json) {
                System.out.println(text);
                return 0;
            }
            Map<String, Object> state;
            try {
                state = Json.parseObject(text, 1 << 20);
            } catch (JsonFormatException e) {
                System.err.println("chromatic status: robot " + id + " sent a state that is not a JSON object: " + e.getMessage());
                return 1;
            }
            System.out.println("robot " + id);
            print("", state);
            return 0;
        } catch (BrokerSession.BrokerException e) {
            System.err.println("chromatic status: " + e.getMessage());
            return 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(String prefix, Map<String, Object> m) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map) {
                print(key + ".", (Map<String, Object>) v);
            } else if (v instanceof List<?> l) {
                System.out.println("  " + key + " = " + l);
            } else {
                System.out.println("  " + key + " = " + FlashCommand.num(v));
            }
        }
    }
}
