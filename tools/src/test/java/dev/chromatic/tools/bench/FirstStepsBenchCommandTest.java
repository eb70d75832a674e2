package dev.chromatic.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FirstStepsBenchCommandTest {

    private static final Path POLICY = Path.of("").toAbsolutePath().getParent().resolve("policies")
            .resolve("minitaur-pmtg.cpol");

    @Test
    void reportsTheFirstStepsOfTheShippedPolicyAfterTheWarmUp() throws Exception {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("bench", "first-steps", "--policy", POLICY.toString(), "--steps", "200", "--json"));
        Map<String, Object> r = Json.parseObject(out.toString().trim(), 4096);
        assertEquals(true, r.get("warm_up"));
        assertEquals(200L, r.get("steps"));
        assertTrue(((Number) r.get("warm_up_ms")).doubleValue() > 0);
        assertTrue(((Number) r.get("first_step_us")).doubleValue() > 0);
    }

    @Test
    void aStepCountOutOfRangeIsABadUsage() {
        assertEquals(2, Main.run("bench", "first-steps", "--policy", POLICY.toString(), "--steps", "5"));
    }
}
