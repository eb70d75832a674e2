package dev.chromatic.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level command line: unknown commands, and error lines that name the command once. */
class MainCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void anUnknownCommandExitsTwoWithOneLineNamingTheClosestCommandWhateverFollows() {
        String[][] cases = {
            {"evl"}, {"evl", "--help"}, {"evl", "-h"}, {"evl", "--version"}, {"evl", "--seeds", "3", "policy.cpol"},
            {"--help", "evl"}, {"evl", "help"},
        };
        for (String[] args : cases) {
            assertEquals(2, run(args), String.join(" ", args) + ": " + out + err);
            assertEquals("chromatic: unknown command 'evl' (did you mean 'eval'?)", err.toString().strip(),
                    String.join(" ", args));
            assertEquals("", out.toString(), "no usage text on stdout for " + String.join(" ", args));
        }
        assertEquals(2, run("telemtry", "--robot", "r1"));
        assertEquals("chromatic: unknown command 'telemtry' (did you mean 'telemetry'?)", err.toString().strip());
        assertEquals(2, run("brokr"));
        assertTrue(err.toString().contains("(did you mean 'broker'?)"), err.toString());
        assertEquals(2, run("x".repeat(10_000)));
        assertTrue(err.toString().strip().lines().count() == 1 && err.toString().length() < 200,
                "a huge word is cut in the message: " + err.toString().length());
    }

    @Test
    void knownCommandsAndTopLevelHelpStillWork() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("telemetry"), out.toString());
        assertEquals(0, run("eval", "--help"));
        assertTrue(out.toString().contains("eval"), out.toString());
        assertEquals(0, run("help", "eval"));
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("chromatic "), out.toString());
    }

    @Test
    void aBadTopLevelOptionNamesTheProgramOnce() {
        assertEquals(2, run("--bogus"));
        String first = err.toString().lines().findFirst().orElse("");
        assertTrue(first.startsWith("chromatic: ") && !first.startsWith("chromatic chromatic"), err.toString());
        assertTrue(err.toString().contains("Try 'chromatic --help'."), err.toString());
    }

    @Test
    void distanceCountsEditsAndNeighbourSwaps() {
        assertEquals(0, CliErrors.distance("eval", "eval"));
        assertEquals(1, CliErrors.distance("evl", "eval"));
        assertEquals(1, CliErrors.distance("evla", "eval"));
        assertEquals(2, CliErrors.distance("flsah", "flash") + 1);
        assertEquals(4, CliErrors.distance("", "eval"));
    }
}
