package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.tools.Main;
import dev.chromatic.tools.broker.BrokerSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private static String[] captured(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void missingPolicyFileExitsWithTwoAndNamesTheOption(@TempDir Path dir) {
        String[] r = captured("run", "--policy", dir.resolve("none.cpol").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--policy") && r[2].lines().count() == 1, r[2]);
    }

    @Test
    void rateOutsideTheLoopRangeExitsWithTwo(@TempDir Path dir) {
        String[] r = captured("bench", "loop", "--rate", "5000");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--rate"), r[2]);
    }

    @Test
    void publishesAsRobotSimUnlessGivenARobotId(@TempDir Path dir) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {7, 41, 13}, Activation.TANH, 5)
                .toBuilder();
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        Path file = dir.resolve("walk.cpol");
        PolicyFiles.write(file, b.build());
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            String[] plain = captured("run", "--policy", file.toString(), "--seconds", "0.5", "--broker", broker.url(), "--json");
            assertEquals("0", plain[0], plain[2]);
            String[] named = captured("run", "--policy", file.toString(), "--seconds", "0.5", "--broker", broker.url(),
                    "--robot-id", "bench-7", "--json");
            assertEquals("0", named[0], named[2]);
            assertEquals("2", captured("run", "--policy", file.toString(), "--robot-id", "no/slash")[0]);
            java.util.Set<String> topics = new java.util.TreeSet<>();
            try (BrokerSession s = BrokerSession.connect(broker.url(), "test", 5)) {
                s.subscribe("chromatic/+/state");
                BrokerSession.Received m;
                while ((m = s.poll(2_000_000_000L)) != null && topics.size() < 2) {
                    topics.add(m.topic());
                }
            }
            assertEquals(java.util.Set.of("chromatic/sim/state", "chromatic/bench-7/state"), topics,
                    "each run left its retained state under its robot id");
        }
    }

    @Test
    void lockstepRunPrintsOneJsonObjectWithTheDocumentedKeys(@TempDir Path dir) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {7, 41, 13}, Activation.TANH, 5)
                .toBuilder();
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        Path file = dir.resolve("walk.cpol");
        PolicyFiles.write(file, b.build());
        String[] r = captured("run", "--policy", file.toString(), "--hal", "sim", "--seconds", "1", "--json");
        assertEquals("0", r[0], r[2]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r[1].strip());
        for (String key : List.of("cycles", "missed", "overruns", "lateness_us", "alloc_bytes_per_cycle",
                "telemetry_sent", "telemetry_dropped", "safe_state", "distance_m")) {
            assertTrue(m.containsKey(key), "missing " + key + " in " + r[1]);
        }
        assertEquals(100L, m.get("cycles"), "1 s at the policy's 100 Hz");
        assertEquals(0L, m.get("missed"));
        assertTrue(((Map<?, ?>) m.get("lateness_us")).keySet().containsAll(List.of("p50", "p99", "p999", "max")));
        assertTrue((Long) m.get("telemetry_sent") > 0, "telemetry reached the embedded broker");
    }

    @Test
    void theShippedServoPolicyRunsOnTheServoRobotsSimulator() throws Exception {
        Path file = Path.of("").toAbsolutePath().getParent().resolve("policies").resolve("minitaur-servo-pmtg.cpol");
        String[] r = captured("run", "--policy", file.toString(), "--hal", "sim", "--seconds", "6", "--json");
        assertEquals("0", r[0], r[2]);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r[1].strip());
        assertEquals("armed", m.get("safe_state"), r[1]);
        assertTrue(((Number) m.get("distance_m")).doubleValue() > 1.0, "the servo build walks: " + r[1]);
    }
}
