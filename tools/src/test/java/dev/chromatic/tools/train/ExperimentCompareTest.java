package dev.chromatic.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCompareTest {

    private static String[] args(Path dir, String rows, boolean resume) {
        List<String> a = new java.util.ArrayList<>(List.of("experiment", "compare", "--env", "pendulum", "--hidden", "4",
                "--budget", "2", "--seeds", "1,2", "--rows", rows, "--perturbations", "2", "--exact", "1",
                "--max-steps", "20", "--eval-episodes", "1", "--candidates", "1", "--threads", "1",
                "--out-dir", dir.toString()));
        if (resume) {
            a.add("--resume");
        }
        return a.toArray(new String[0]);
    }

    @Test
    void rowsOverSeedsWithMeanAndStdAndAResumableRunLog(@TempDir Path dir) throws Exception {
        assertEquals(0, Main.run(args(dir, "chromatic,chromatic:3,unstructured", false)));
        Path log = dir.resolve("runs.jsonl");
        List<String> runs = Files.readAllLines(log);
        assertEquals(6, runs.size(), String.join("\n", runs));
        assertTrue(runs.get(2).contains("\"row\":\"chromatic:3\"") && runs.get(2).contains("\"weight_params\":3"),
                runs.get(2));
        String table = Files.readString(dir.resolve("comparison.md"));
        assertTrue(table.contains("| structure | mean reward | std | best reward | per seed |"), table);
        assertTrue(table.contains("| chromatic:3 |"), table);
        assertTrue(Files.exists(dir.resolve("chromatic-3-s2.cpol")) && Files.exists(dir.resolve("comparison.png")));

        // resuming trains nothing again and writes the same table
        assertEquals(0, Main.run(args(dir, "chromatic,chromatic:3,unstructured", true)));
        assertEquals(runs, Files.readAllLines(log));
        assertEquals(table, Files.readString(dir.resolve("comparison.md")));

        // a run whose policy file is gone is trained again
        Files.delete(dir.resolve("unstructured-s1.cpol"));
        assertEquals(0, Main.run(args(dir, "unstructured", true)));
        assertEquals(7, Files.readAllLines(log).size());
    }

    @Test
    void aDamagedRunLogIsNamedNotSkipped(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("runs.jsonl"), "{\"row\":\"chromatic\",\"seed\":1}\n");
        Files.writeString(dir.resolve("chromatic-s1.cpol"), "x");
        RunLog log = new RunLog(dir.resolve("runs.jsonl"));
        BadInputException e = assertThrows(BadInputException.class, () -> log.find("chromatic", 1));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("reward"), e.getMessage());
        assertEquals(2, Main.run(args(dir, "chromatic", true)));
    }

    @Test
    void unknownOrRepeatedRowsAreRefused() {
        assertEquals(List.of("lstm", "ppo", "evolution", "random", "fixed-random"), ExperimentCommand.Compare.parseRows(null, true));
        assertEquals(List.of("chromatic:13", "unstructured"),
                ExperimentCommand.Compare.parseRows("chromatic:13, unstructured", false));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExperimentCommand.Compare.parseRows("chromatic,hexagonal", false));
        assertTrue(e.getMessage().contains("'hexagonal'"), e.getMessage());
        assertThrows(BadInputException.class, () -> ExperimentCommand.Compare.parseRows("ppo,ppo", true));
        assertThrows(BadInputException.class, () -> ExperimentCommand.Compare.parseRows("chromatic:13", true));
        assertThrows(BadInputException.class, () -> ExperimentCommand.Compare.parseRows("chromatic:0", false));
    }
}
