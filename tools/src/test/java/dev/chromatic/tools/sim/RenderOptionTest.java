package dev.chromatic.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --render DIR} draws the evaluated policy's gait next to its figures. */
class RenderOptionTest {

    @TempDir
    Path out;

    @Test
    void evalWithRenderWritesTheGaitPictures() throws Exception {
        Path policy = Path.of("").toAbsolutePath().getParent().resolve("policies").resolve("minitaur-pmtg.cpol");
        int rc = Main.run("eval", "--policy", policy.toString(), "--episodes", "1", "--max-steps", "50",
                "--render", out.toString());
        assertEquals(0, rc);
        for (String f : new String[] {"robot.gif", "gait.png", "base.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 1000, f + " drawn");
        }
    }

    @Test
    void renderOfAClassicTaskPolicyIsRefusedWithExitCode2() throws Exception {
        Path p = out.resolve("pendulum.cpol");
        assertEquals(0, Main.run("policy", "new", "--structure", "chromatic", "--dims", "3,41,1", "--stack", "plain",
                "--task", "pendulum", "--out", p.toString()));
        assertEquals(2, Main.run("eval", "--policy", p.toString(), "--episodes", "1", "--render", out.resolve("pics").toString()));
    }
}
