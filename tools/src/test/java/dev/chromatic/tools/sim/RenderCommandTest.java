package dev.chromatic.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void rendersAPolicyThroughItsControllerStack(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("p.cpol");
        assertEquals(0, run("policy", "new", "--structure", "chromatic", "--dims", "7,41,13", "--stack", "minitaur-pmtg",
                "--robot", "minitaur", "--task", "minitaur-walk", "--out", policy.toString()), err.toString());
        out.getBuffer().setLength(0);
        Path pictures = dir.resolve("pics");
        assertEquals(0, run("render", "--policy", policy.toString(), "--seconds", "0.4", "--out", pictures.toString(),
                "--json"), err.toString());
        String json = out.toString().trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
        assertTrue(json.contains("\"distance_m\":"), json);
        for (String f : new String[] {"robot.gif", "gait.png", "base.png"}) {
            assertTrue(Files.size(pictures.resolve(f)) > 500, f);
        }
    }

    @Test
    void rendersTheOpenLoopTrot(@TempDir Path dir) {
        assertEquals(0, run("render", "--gait", "trot", "--seconds", "0.3", "--out", dir.toString()), err.toString());
        assertTrue(out.toString().contains("open-loop trot"), out.toString());
        assertTrue(Files.exists(dir.resolve("robot.gif")));
    }

    @Test
    void badInputExitsTwoWithOneLine(@TempDir Path dir) {
        assertEquals(2, run("render", "--gait", "gallop", "--out", dir.toString()));
        String msg = err.toString().trim();
        assertTrue(msg.contains("gallop"), msg);
        assertFalse(msg.contains("\n") || msg.contains("Exception"), msg);
        err.getBuffer().setLength(0);
        assertEquals(2, run("render", "--policy", dir.resolve("missing.cpol").toString(), "--out", dir.toString()));
        assertTrue(err.toString().contains("missing.cpol"), err.toString());
    }
}
