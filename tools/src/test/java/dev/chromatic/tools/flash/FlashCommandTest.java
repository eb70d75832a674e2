package dev.chromatic.tools.flash;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, sign, flash and status against an in-process broker and a robot-side update service. */
class FlashCommandTest {

    private static EmbeddedBroker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private Path policyFile(String name, int obs, long seed) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 5, new int[] {obs, 4, 2}, Activation.TANH, seed)
                .toBuilder();
        b.robot = "minitaur";
        b.stack = RobotStandIn.STACK;
        b.task = "test";
        b.controlPeriodNs = RobotStandIn.PERIOD_NS;
        Path f = tmp.resolve(name);
        PolicyFiles.write(f, b.build());
        return f;
    }

    private Path keygen(Path dir) throws Exception {
        Run k = run("keygen", "--out", dir.toString());
        assertEquals(0, k.exit(), k.err());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
        }
    }

    @Test
    void flashesASignedPolicyAndReportsTheRobotsVerdicts() throws Exception {
        Path keys = tmp.resolve("keys");
        Path key = keygen(keys);
        Path good = policyFile("good.cpol", 3, 1);
        assertEquals(0, run("sign", "--key", key.toString(), "--version", "5", good.toString()).exit());
        Path wrongDims = policyFile("wide.cpol", 4, 2);
        assertEquals(0, run("sign", "--key", key.toString(), "--version", "6", wrongDims.toString()).exit());
        Path otherKey = keygen(tmp.resolve("other"));
        Path stranger = policyFile("stranger.cpol", 3, 3);
        assertEquals(0, run("sign", "--key", otherKey.toString(), "--version", "7", stranger.toString()).exit());

        try (RobotStandIn robot = new RobotStandIn(broker.url(), "r1", tmp.resolve("store"), TrustedKeys.fromDirectory(keys))) {
            Run ok = run("flash", "--robot", "r1", "--broker", broker.url(), "--timeout", "20", good.toString());
            assertEquals(0, ok.exit(), ok.out() + ok.err());
            assertTrue(ok.out().startsWith("accepted: robot r1"), ok.out());
            assertEquals(1, robot.offered.size());
            assertEquals(5, robot.offered.get(0).policyVersion());

            Run replay = run("flash", "--robot", "r1", "--broker", broker.url(), "--timeout", "20", good.toString());
            assertEquals(1, replay.exit(), replay.out() + replay.err());
            assertTrue(replay.out().contains("[policy_version]"), replay.out());

            Run dims = run("flash", "--robot", "r1", "--broker", broker.url(), "--timeout", "20", "--json", wrongDims.toString());
            assertEquals(1, dims.exit());
            assertTrue(dims.out().contains("\"field\":\"layer_sizes[0]\""), dims.out());

            Run unknownKey = run("flash", "--robot", "r1", "--broker", broker.url(), "--timeout", "20", stranger.toString());
            assertEquals(1, unknownKey.exit());
            assertTrue(unknownKey.out().contains("[key_id]"), unknownKey.out());

            Run status = run("status", "--robot", "r1", "--broker", broker.url());
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().contains("policy.active.version = 5"), status.out());
            assertEquals(1, robot.offered.size());
        }
    }

    @Test
    void flashesASignedCompactPolicyWithItsSidecarLeftOnTheWorkstation() throws Exception {
        Path keys = tmp.resolve("keys");
        Path key = keygen(keys);
        Path full = policyFile("full.cpol", 3, 21);
        Path compact = tmp.resolve("compact.cpol");
        Run converted = run("policy", "compact", full.toString(), compact.toString());
        assertEquals(0, converted.exit(), converted.err());
        Path signed = tmp.resolve("signed.cpol");
        Run sign = run("sign", "--key", key.toString(), "--version", "9", compact.toString(), "--out", signed.toString());
        assertEquals(0, sign.exit(), sign.err());
        assertTrue(Files.isRegularFile(tmp.resolve("signed.cpol.json")), "sign --out copies the metadata sidecar");
        assertTrue(Files.size(signed) < Files.size(full), Files.size(signed) + " bytes");

        try (RobotStandIn robot = new RobotStandIn(broker.url(), "r5", tmp.resolve("store"), TrustedKeys.fromDirectory(keys))) {
            Run ok = run("flash", "--robot", "r5", "--broker", broker.url(), "--timeout", "20", signed.toString());
            assertEquals(0, ok.exit(), ok.out() + ok.err());
            assertTrue(ok.out().startsWith("accepted: robot r5"), ok.out());
            assertEquals(9, robot.offered.get(0).policyVersion());
        }
    }

    @Test
    void aPolicySentToAnArmedRobotIsReportedStagedAndInstalledWhenItDisarms() throws Exception {
        Path keys = tmp.resolve("keys");
        Path key = keygen(keys);
        Path first = policyFile("first.cpol", 3, 11);
        assertEquals(0, run("sign", "--key", key.toString(), "--version", "1", first.toString()).exit());
        Path second = policyFile("second.cpol", 3, 12);
        assertEquals(0, run("sign", "--key", key.toString(), "--version", "2", second.toString()).exit());

        try (RobotStandIn robot = new RobotStandIn(broker.url(), "r3", tmp.resolve("store"), TrustedKeys.fromDirectory(keys),
                1L)) {
            assertEquals(0, run("flash", "--robot", "r3", "--broker", broker.url(), "--timeout", "20", first.toString()).exit());
            robot.armed.set(true);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (robot.service.stateJson().contains("\"health_window_open\":true")) {
                assertTrue(System.nanoTime() - deadline < 0, "the 1 ns health window never closed");
                Thread.sleep(5);
            }
            Run staged = run("flash", "--robot", "r3", "--broker", broker.url(), "--timeout", "20", second.toString());
            assertEquals(0, staged.exit(), staged.out() + staged.err());
            assertTrue(staged.out().startsWith("staged: robot r3"), staged.out());
            assertTrue(staged.out().contains("next disarmed"), staged.out());
            assertEquals(1, robot.offered.size(), "nothing is swapped under an armed robot");

            robot.armed.set(false);
            while (robot.offered.size() < 2) {
                assertTrue(System.nanoTime() - deadline < 0, "the staged policy was not installed after the disarm");
                Thread.sleep(5);
            }
            assertEquals(2, robot.offered.get(1).policyVersion());
        }
    }

    @Test
    void badFilesAndArgumentsExitTwoWithoutContactingTheRobot() throws Exception {
        Path unsigned = policyFile("unsigned.cpol", 3, 4);
        Run u = run("flash", "--robot", "r2", "--broker", broker.url(), unsigned.toString());
        assertEquals(2, u.exit());
        assertTrue(u.err().contains("not signed"), u.err());

        Path garbage = tmp.resolve("garbage.cpol");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        Run g = run("flash", "--robot", "r2", "--broker", broker.url(), garbage.toString());
        assertEquals(2, g.exit());
        assertEquals(1, g.err().strip().lines().count(), g.err());

        assertEquals(2, run("flash", "--robot", "r2", "--broker", broker.url(), tmp.resolve("missing.cpol").toString()).exit());
        assertEquals(2, run("flash", "--robot", "bad/id", "--broker", broker.url(), unsigned.toString()).exit());
        assertEquals(2, run("sign", "--key", tmp.resolve("nokey.key").toString(), unsigned.toString()).exit());
        for (String command : new String[] {"keygen", "sign", "flash", "status", "telemetry", "flash-soak"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().contains("Usage:"), command);
        }
    }

    @Test
    void aRobotThatDoesNotAnswerIsAFailureNotAHang() throws Exception {
        Path key = keygen(tmp.resolve("k"));
        Path p = policyFile("p.cpol", 3, 5);
        assertEquals(0, run("sign", "--key", key.toString(), p.toString()).exit());
        Run r = run("flash", "--robot", "nobody", "--broker", broker.url(), "--timeout", "1", p.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no verdict"), r.err());
        Run s = run("status", "--robot", "nobody", "--broker", broker.url(), "--timeout", "1");
        assertEquals(1, s.exit());
        Run b = run("status", "--robot", "x", "--broker", "tcp://127.0.0.1:1", "--timeout", "1");
        assertEquals(1, b.exit());
        assertTrue(b.err().contains("cannot connect"), b.err());
    }
}
