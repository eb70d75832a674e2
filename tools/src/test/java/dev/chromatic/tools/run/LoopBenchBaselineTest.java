package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.runtime.agent.CpuLatencyRequest;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench loop --baseline cyclictest}, briefly: both sides run under the same rule for idle CPUs
 * (the loop holds the latency request, cyclictest gets {@code --latency=N}), and the JSON carries
 * both sides and their ratios. Needs cyclictest (Debian rt-tests, installed by .ci/run).
 */
class LoopBenchBaselineTest {

    @Test
    void bothSidesRunUnderTheSameIdleRuleAndTheJsonHasBothSides() throws Exception {
        assumeTrue(Cyclictest.find() != null, "cyclictest (rt-tests) is not installed");
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            code = Main.run("bench", "loop", "--baseline", "cyclictest", "--seconds", "2", "--block-seconds", "1",
                    "--cpu-latency-us", "5", "--json");
        } finally {
            System.setOut(out);
        }
        String stdout = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stdout);
        String line = stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        Map<String, Object> j = Json.parseObject(line, 1 << 20);
        assertEquals(5L, ((Number) j.get("cpu_latency_us")).longValue());
        String command = (String) Json.at(j, "baseline.command");
        assertTrue(command.endsWith("--latency=5"), command);
        boolean canHold = Files.isWritable(CpuLatencyRequest.DEVICE);
        assertEquals(canHold, j.get("cpu_latency_held"), (String) j.get("cpu_latency"));
        assertEquals(2L, ((Number) j.get("blocks")).longValue());
        assertTrue(((Number) Json.at(j, "baseline.samples")).longValue() >= 1500, "cyclictest ran about 2 s at 1 kHz");
        long cycles = ((Number) j.get("cycles")).longValue();
        assertTrue(cycles >= 1500, "the loop ran about 2 s at 1 kHz: " + cycles);
        assertTrue(((Number) j.get("telemetry_sent")).longValue() >= cycles, "telemetry for every measured cycle");
        for (String k : new String[] {"p99", "p999", "max", "late_over_period"}) {
            double r = ((Number) Json.at(j, "ratio." + k)).doubleValue();
            assertTrue(Double.isFinite(r) && r > 0, k + " ratio " + r);
        }
    }
}
