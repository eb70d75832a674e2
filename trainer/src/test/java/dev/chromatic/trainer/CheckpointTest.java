package dev.chromatic.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static TrainConfig small(String structure, String controller) {
        TrainConfig c = TrainerTest.small(structure, controller);
        c.threads = 1;
        return c;
    }

    private static Trainer trainer(TrainConfig c) {
        ParallelFor parallel = new ParallelFor(1);
        return new Trainer(c, new LocalRolloutEvaluator(parallel), parallel, () -> 0L);
    }

    /** Trains {@code iterations} and writes the checkpoint to {@code file}. */
    private static void checkpointAfter(TrainConfig c, int iterations, Path file) throws IOException {
        Trainer t = trainer(c);
        t.runUntil(iterations, null, null);
        t.saveCheckpoint(file);
    }

    @Test
    void aRestoredRunWritesTheSameCheckpointByteForByte(@TempDir Path dir) throws Exception {
        // evolution in an rmax phase (population, held partitions and maxima), masked without a controller
        String[][] runs = {{"chromatic", "evolution"}, {"chromatic", "ppo"}, {"masked", "lstm"}};
        for (String[] r : runs) {
            Path first = dir.resolve(r[0] + "-" + r[1] + ".ckpt");
            Path second = dir.resolve(r[0] + "-" + r[1] + "-again.ckpt");
            checkpointAfter(small(r[0], r[1]), 3, first);
            Trainer restored = trainer(small(r[0], r[1]));
            restored.loadCheckpoint(first);
            restored.saveCheckpoint(second);
            assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), r[0] + "/" + r[1]);
        }
    }

    @Test
    void refusesACheckpointOfAnotherVersionNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.ckpt");
        checkpointAfter(small("chromatic", "lstm"), 1, file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, 1);
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> trainer(small("chromatic", "lstm")).loadCheckpoint(file));
        assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("reads version " + Checkpoint.VERSION),
                e.getMessage());
    }

    @Test
    void refusesACheckpointOfOtherSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.ckpt");
        checkpointAfter(small("chromatic", "lstm"), 1, file);
        TrainConfig other = small("chromatic", "lstm");
        other.colors = 6;
        IOException e = assertThrows(IOException.class, () -> trainer(other).loadCheckpoint(file));
        assertTrue(e.getMessage().contains("different settings"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotACheckpoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.ckpt");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        IOException e = assertThrows(IOException.class, () -> trainer(small("chromatic", "lstm")).loadCheckpoint(file));
        assertTrue(e.getMessage().contains("not a chromatic training checkpoint"), e.getMessage());
    }
}
