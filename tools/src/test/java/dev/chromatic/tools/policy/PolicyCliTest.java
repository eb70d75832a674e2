package dev.chromatic.tools.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void compactsAnOldFloat64FileSayingWhatRoundingChanged(@TempDir Path dir) throws Exception {
        Path shipped = Path.of("").toAbsolutePath().getParent().resolve("policies").resolve("minitaur-pmtg.cpol");
        Path f = dir.resolve("m.cpol");
        assertEquals(0, run("policy", "compact", shipped.toString(), f.toString(), "--states", "1000"), err.toString());
        String report = out.toString();
        assertTrue(report.contains("compact, 922 bytes"), report);
        assertTrue(report.contains("rounding to float32 changed 82 of 99 numbers"), report);
        assertTrue(report.contains("fixed-point actions over 1000 random states"), report);
        assertTrue(Files.isRegularFile(dir.resolve("m.cpol.json")));

        out.getBuffer().setLength(0);
        assertEquals(0, run("inspect", "--json", f.toString()), err.toString());
        String json = out.toString().trim();
        for (String pair : new String[] {"\"format\":\"compact\"", "\"file_bytes\":922", "\"file_bits\":7376", "\"paper_bits\":5956",
                "\"color_bytes\":420", "\"metadata_from\":\"m.cpol.json\""}) {
            assertTrue(json.contains(pair), pair + " missing in " + json);
        }
        assertTrue(json.contains("\"entropy_bound_bits\":5199."), json);

        out.getBuffer().setLength(0);
        assertEquals(0, run("inspect", f.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("format          compact (2): float32 numbers, colors radix 17, 11 codes per 45 bits"), text);
        assertTrue(text.contains("file bits       7376 = 1.24 x paper bits"), text);
        assertTrue(text.contains("meta compact_rounded_numbers 82 of 99"), text);
        assertTrue(text.contains("meta eval_reward"), text);

        // compacting a compact file changes nothing, and keeps the sidecar's metadata
        out.getBuffer().setLength(0);
        Path again = dir.resolve("again.cpol");
        assertEquals(0, run("policy", "compact", f.toString(), again.toString()), err.toString());
        assertTrue(out.toString().contains("every one of the 99 numbers was a float32 already"), out.toString());
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again));
        assertTrue(Files.readString(dir.resolve("again.cpol.json")).contains("eval_reward"));
    }

    @Test
    void inspectSaysWhenASidecarBelongsToAnotherPolicy(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.cpol");
        Path b = dir.resolve("b.cpol");
        assertEquals(0, run("policy", "new", "--structure", "chromatic", "--dims", "7,41,13", "--seed", "1", "--out", a.toString()));
        assertEquals(0, run("policy", "new", "--structure", "toeplitz", "--dims", "7,41,13", "--seed", "2", "--out", b.toString()));
        assertEquals(0, run("policy", "compact", a.toString(), a.toString() + ".c"), err.toString());
        assertEquals(0, run("policy", "compact", b.toString(), b.toString() + ".c"), err.toString());
        Files.copy(Path.of(b + ".c.json"), Path.of(a + ".c.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.getBuffer().setLength(0);
        assertEquals(0, run("inspect", a + ".c"), err.toString());
        assertTrue(out.toString().contains("metadata        none (a.cpol.c.json describes another policy)"), out.toString());
        assertFalse(out.toString().contains("meta compact_from"), out.toString());
        assertEquals(2, run("policy", "compact", a.toString(), a.toString()));
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
