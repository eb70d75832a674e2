package dev.chromatic.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCliTest {

    @Test
    void benchListsInferenceAndRejectsBadForks() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cli.execute("bench", "--help"));
        assertTrue(out.toString().contains("inference"), out.toString());
        assertEquals(2, cli.execute("bench", "inference", "--forks", "-1"));
    }

    @Test
    void fixedPointErrorOfTheBenchmarkedNetsIsWithinTheTarget() throws Exception {
        for (String dims : InferenceBenchCommand.NETS) {
            double[] e = InferenceBenchCommand.errors(InferenceBenchmark.policy(dims));
            assertTrue(e[0] <= 5e-4, "max error " + e[0] + " for " + dims);
            assertTrue(Math.sqrt(e[1] / e[2]) <= 5e-5, "RMS error for " + dims);
        }
    }
}
