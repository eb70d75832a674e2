package dev.chromatic.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void newPolicyInspectsAsOneJsonObjectWithTheContractKeys(@TempDir Path dir) {
        Path f = dir.resolve("p.cpol");
        assertEquals(0, run("policy", "new", "--structure", "chromatic", "--colors", "17", "--dims", "17,41,6",
                "--seed", "5", "--out", f.toString()), err.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("inspect", "--json", f.toString()), err.toString());
        String json = out.toString().trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
        for (String key : Arrays.asList("structure", "obs_dim", "act_dim", "hidden", "colors", "edges", "weight_params",
                "total_params", "compression", "paper_bits", "file_bytes", "entropy_bits", "signed", "sha256")) {
            assertTrue(json.contains("\"" + key + "\":"), "missing key " + key + " in " + json);
        }
        assertTrue(json.contains("\"paper_bits\":6571"), json);
        assertTrue(json.contains("\"hidden\":[41]"), json);
    }

    @Test
    void badFileExitsTwoWithOneLineNamingTheProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        assertEquals(0, run("policy", "new", "--structure", "toeplitz", "--dims", "7,41,13", "--out", f.toString()));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(f, bytes);
        assertEquals(2, run("inspect", f.toString()));
        String msg = err.toString().trim();
        assertFalse(msg.contains("\n") || msg.contains("Exception"), msg);
        assertTrue(msg.contains("sha256"), msg);
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path dir) {
        assertEquals(2, run("policy", "new", "--structure", "hexagonal", "--dims", "7,41,13", "--out", dir.resolve("x").toString()));
        assertEquals(2, run("policy", "new", "--structure", "chromatic", "--dims", "7,0,13", "--out", dir.resolve("x").toString()));
        assertEquals(2, run("inspect", dir.resolve("missing.cpol").toString()));
    }
}
