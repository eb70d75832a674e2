package dev.chromatic.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCliTest {

    private static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void badSettingsExitTwoNamingTheOption(@TempDir Path dir) {
        assertEquals(2, Main.run("train", "--colors", "0", "--out", dir.resolve("p.cpol").toString()));
        assertEquals(2, Main.run("train", "--env", "moon-walk", "--out", dir.resolve("p.cpol").toString()));
        assertEquals(2, Main.run("eval", "--policy", dir.resolve("missing.cpol").toString()));
    }

    @Test
    void trainsThenEvaluatesWithOneJsonObjectEach(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.cpol");
        int[] code = new int[1];
        String json = stdout(() -> code[0] = Main.run("train", "--env", "pendulum", "--hidden", "4", "--colors", "3",
                "--iterations", "2", "--perturbations", "2", "--exact", "1", "--max-steps", "20",
                "--eval-episodes", "1", "--out", out.toString(), "--json"));
        assertEquals(0, code[0]);
        assertTrue(json.trim().startsWith("{") && json.trim().endsWith("}"), json);
        for (String key : new String[] {"env", "structure", "reward", "best_reward", "iterations", "seconds", "weight_params", "out"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing in " + json);
        }
        assertTrue(Files.exists(out) && Files.exists(dir.resolve("p.csv")) && Files.exists(dir.resolve("p.png")));
        String eval = stdout(() -> code[0] = Main.run("eval", "--policy", out.toString(), "--episodes", "1", "--json"));
        assertEquals(0, code[0]);
        for (String key : new String[] {"reward_float", "reward_fixed", "distance_m", "fell", "steps"}) {
            assertTrue(eval.contains("\"" + key + "\":"), key + " missing in " + eval);
        }
    }
}
