package dev.chromatic.tools.broker;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.testing.Cli.Run;
import org.junit.jupiter.api.Test;

/** Every command that talks to a robot refuses an id that cannot name its topics, before connecting. */
class RobotOnBrokerTest {

    @Test
    void aRobotIdThatCannotNameTopicsIsBadUsageEverywhere() {
        String[][] commands = {
            {"cmd", "estop"}, {"status"}, {"flash", "missing.cpol"}, {"telemetry"}, {"dashboard"},
        };
        for (String[] c : commands) {
            for (String bad : new String[] {"a/b", "r#", ""}) {
                String[] args = new String[c.length + 4];
                System.arraycopy(c, 0, args, 0, c.length);
                args[c.length] = "--robot";
                args[c.length + 1] = bad;
                args[c.length + 2] = "--broker";
                args[c.length + 3] = "tcp://127.0.0.1:1";
                Run r = run(args);
                assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
                assertTrue(r.err().contains("--robot '" + bad + "'"), String.join(" ", args) + ": " + r.err());
            }
        }
    }
}
