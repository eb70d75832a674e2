package dev.chromatic.tools.cmd;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.OperatorKeys;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.testing.Cli.Run;
import dev.chromatic.tools.testing.HoldPoseStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chromatic cmd}: signing, the robot's verdict as the exit code, and usage errors. */
class CmdCommandTest {

    private static final long PERIOD_NS = 10_000_000L;

    @TempDir
    Path tmp;

    private Path keygen(Path dir) throws Exception {
        assertEquals(0, run("keygen", "--out", dir.toString()).exit());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
        }
    }

    @Test
    void printWritesAMessageTheRobotVerifies() throws Exception {
        Path key = keygen(tmp.resolve("op"));
        Run r = run("cmd", "arm", "--robot", "r1", "--key", key.toString(), "--print");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> m = Json.parseObject(r.out().trim(), 4096);
        var pub = PolicyKeys.loadPublic(Path.of(key.toString().replace(".key", ".pub")));
        SignedCommand c = new SignedCommand("r1", (String) m.get("key"), (Long) m.get("ctr"), CommandKind.ARM, 0,
                Base64.getDecoder().decode((String) m.get("sig")));
        assertTrue(c.verify(pub));
        assertEquals(0, run("cmd", "estop", "--robot", "r1", "--print").exit(), "an estop needs no key");
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        Path key = keygen(tmp.resolve("op"));
        assertEquals(2, run("cmd", "launch", "--robot", "r1", "--key", key.toString(), "--print").exit());
        assertEquals(2, run("cmd", "arm", "--robot", "r1", "--print").exit(), "arm without a key");
        assertEquals(2, run("cmd", "disarm", "--robot", "r1", "--key", key.toString(), "--seconds", "3", "--print").exit());
        assertEquals(2, run("cmd", "arm", "--robot", "r 1", "--key", key.toString(), "--print").exit());
    }

    @Test
    void exitZeroWhenAppliedAndOneWithTheReasonWhenRefused() throws Exception {
        Path key = keygen(tmp.resolve("op"));
        Path stranger = keygen(tmp.resolve("stranger"));
        var pub = PolicyKeys.loadPublic(Path.of(key.toString().replace(".key", ".pub")));
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS))
                    .clock(NanoClock.system()).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                    .standUp(StandUpSettings.immediate()).linkTimeout(1_500_000_000L).telemetry(1024).build();
            try (RobotRuntime rt = new RobotRuntime("r1", loop, MqttSettings.plain(broker.url(), "robot-r1"), 10,
                    CommandSettings.of(OperatorKeys.of(pub), CounterStore.inMemory()))) {
                rt.control().offerPolicy(new InstalledPolicy(new HoldPoseStep(), "ab".repeat(32), 4, true, PERIOD_NS));
                rt.startTelemetryThread(t -> { });
                rt.startLoopThread(500_000L, 0, -1, t -> { });
                String url = broker.url();
                Run refused = run("cmd", "arm", "--robot", "r1", "--broker", url, "--key", stranger.toString());
                assertEquals(1, refused.exit(), refused.out() + refused.err());
                assertTrue(refused.err().contains("unknown_key"), refused.err());

                Run armed = run("cmd", "arm", "--robot", "r1", "--broker", url, "--key", key.toString(), "--seconds", "2.5");
                assertEquals(0, armed.exit(), armed.out() + armed.err());
                assertEquals(SafetyState.DISARMED, rt.safety().state(), "held armed 2.5 s, past the 1.5 s link timeout, then disarmed");

                Run estop = run("cmd", "estop", "--robot", "r1", "--broker", url);
                assertEquals(0, estop.exit(), estop.err());
                Run reset = run("cmd", "reset", "--robot", "r1", "--broker", url, "--key", key.toString());
                assertEquals(0, reset.exit(), reset.err());
                assertEquals(SafetyState.DISARMED, rt.safety().state());
                Run beat = run("cmd", "heartbeat", "--robot", "r1", "--broker", url, "--key", key.toString());
                assertEquals(0, beat.exit(), beat.err());
            }
            assertEquals(List.of(), broker.sessionThreadErrors(), "every command left the broker serving all clients");
        }
    }
}
