package dev.chromatic.tools.flash;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.broker.RobotOnBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chromatic flash}: publishes a signed policy to a robot and waits for its verdict. Exit 0
 * accepted, or staged (the robot is armed and installs it at its next disarm), and kept with
 * {@code --wait-health} (which waits through a staged verdict for the install and the health
 * window); 1 rejected, rolled back or no answer; 2 a bad file or argument.
 */
@Command(name = "flash", mixinStandardHelpOptions = true,
        description = {"Sends a signed policy to a robot over MQTT (topic chromatic/<id>/policy, QoS 1) and prints the",
                "robot's verdict from chromatic/<id>/events. Exit codes: 0 accepted or staged (an armed robot installs it at",
                "its next disarm), 1 rejected / rolled back / no answer,",
                "2 bad file or arguments."})
public final class FlashCommand implements Callable<Integer> {

    @Mixin
    RobotOnBroker target = new RobotOnBroker();

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "S", description = "Seconds to wait for the verdict (default: ${DEFAULT-VALUE}).")
    int timeoutS;

    @Option(names = "--wait-health", description = "Also wait for the health window: exit 0 only if the robot keeps the policy.")
    boolean waitHealth;

    @Option(names = "--json", description = "Print the robot's verdict as one JSON object.")
    boolean json;

    @Parameters(index = "0", paramLabel = "FILE.cpol", description = "Signed policy file.")
    Path file;

    @Override
    public Integer call() throws IOException, PolicyFormatException, InterruptedException {
        String robot = target.robot();
        String broker = target.broker();
        BrokerOptions brokerOptions = target.options();
        String id = robot;
        if (timeoutS <= 0) {
            throw new BadInputException("--timeout must be > 0, was " + timeoutS);
        }
        byte[] bytes = PolicyFiles.read(file);
        LoadedPolicy local = PolicyFiles.load(bytes, TrustedKeys.none(), false);
        if (!local.signed()) {
            throw new BadInputException(file + " is not signed; run 'chromatic sign --key K " + file + "' first");
        }
        String sha = FlashFiles.sha256Hex(bytes);
        try (BrokerSession session = BrokerSession.connect(broker, "flash", timeoutS, brokerOptions)) {
            session.subscribe(FlashFiles.topic(id, "events"));
            session.publish(FlashFiles.topic(id, "policy"), bytes, false);
            if (!json) {
                System.err.println("sent " + file + " (version " + local.policyVersion() + ", sha256 " + sha.substring(0, 16)
                        + "...) to robot " + id + "; waiting for its verdict");
            }
            long deadlineNs = System.nanoTime() + timeoutS * 1_000_000_000L;
            for (long left = deadlineNs - System.nanoTime(); left > 0; left = deadlineNs - System.nanoTime()) {
                BrokerSession.Received r = session.poll(left);
                if (r == null) {
                    break;
                }
                String text = new String(r.payload(), StandardCharsets.UTF_8);
                Map<String, Object> event;
                try {
                    event = Json.parseObject(text, 1 << 20);
                } catch (JsonFormatException e) {
                    continue;
                }
                if (!"policy_verdict".equals(event.get("type")) || !sha.equals(event.get("sha256"))) {
                    continue;
                }
                String verdict = String.valueOf(event.get("verdict"));
                boolean finalVerdict = switch (verdict) {
                    case "accepted", "staged" -> !waitHealth;
                    case "rejected", "rolled_back", "kept" -> true;
                    default -> false;
                };
                if (!json || finalVerdict) {
                    System.out.println(json ? text : describe(id, event));
                }
                if (finalVerdict) {
                    return "accepted".equals(verdict) || "staged".equals(verdict) || "kept".equals(verdict) ? 0 : 1;
                }
            }
        } catch (BrokerSession.BrokerException e) {
            System.err.println("chromatic flash: " + e.getMessage());
            return 1;
        }
        System.err.println("chromatic flash: no verdict from robot " + id + " within " + timeoutS + " s");
        return 1;
    }

    static String describe(String robot, Map<String, Object> e) {
        String verdict = String.valueOf(e.get("verdict"));
        StringBuilder sb = new StringBuilder(verdict).append(": robot ").append(robot);
        Object active = Json.at(e, "policy.active.version");
        Object previous = Json.at(e, "policy.previous.version");
        if (e.get("reason") != null) {
            sb.append(": ");
            if (e.get("field") != null) {
                sb.append('[').append(e.get("field")).append("] ");
            }
            sb.append(e.get("reason"));
        }
        sb.append(" (active version ").append(num(active)).append(", previous ").append(num(previous)).append(')');
        return sb.toString();
    }

    static String num(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return v == null ? "none" : String.valueOf(v);
    }
}
