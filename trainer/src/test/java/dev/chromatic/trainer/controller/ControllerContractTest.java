package dev.chromatic.trainer.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.trainer.exec.ParallelFor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract every partition controller passes: valid colors, reproducible rounds, exact
 * save/load, and (for the learning ones) improvement on a tiny task whose reward is the fraction
 * of edges colored like a hidden target coloring.
 */
class ControllerContractTest {

    private static final int EDGES = 12;
    private static final int COLORS = 3;
    private static final int BATCH = 16;
    private static final ParallelFor PARALLEL = new ParallelFor(2);
    private static final int[] TARGET = {0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 1, 2};

    @AfterAll
    static void close() {
        PARALLEL.close();
    }

    private static PartitionController make(String id, long seed) {
        switch (id) {
            case "lstm":
                return new LstmController(EDGES, COLORS, seed, 0.01, 0.01, 1.0, PARALLEL);
            case "evolution":
                return new EvolutionController(EDGES, COLORS, BATCH, seed);
            case "random":
                return new RandomController(EDGES, COLORS, seed);
            default:
                return new FixedPopulationController(EDGES, COLORS, BATCH, seed);
        }
    }

    private static double reward(int[] p) {
        int hits = 0;
        for (int e = 0; e < EDGES; e++) {
            if (p[e] == TARGET[e]) {
                hits++;
            }
        }
        return hits / (double) EDGES;
    }

    /** Mean reward of the last 10 rounds after {@code rounds} rounds of learning. */
    private static double train(PartitionController c, int rounds) {
        int[][] batch = new int[BATCH][EDGES];
        double late = 0;
        for (int k = 0; k < rounds; k++) {
            c.ask(k, batch);
            double[] r = new double[BATCH];
            for (int i = 0; i < BATCH; i++) {
                r[i] = reward(batch[i]);
                if (k >= rounds - 10) {
                    late += r[i] / (10.0 * BATCH);
                }
            }
            c.tell(k, batch, r);
        }
        return late;
    }

    private static void checkContract(String id) throws Exception {
        PartitionController c = make(id, 3);
        assertEquals(id, c.id());
        train(c, 5);
        int[][] a = new int[BATCH][EDGES];
        c.ask(5, a);
        for (int[] p : a) {
            for (int color : p) {
                assertTrue(color >= 0 && color < COLORS, id + " proposed color " + color);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.save(new DataOutputStream(bytes));
        PartitionController restored = make(id, 3);
        restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        int[][] b = new int[BATCH][EDGES];
        restored.ask(5, b);
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(a[i], b[i], id + " restored controller proposes differently");
        }
        assertArrayEquals(c.mostLikely(), restored.mostLikely());
        assertTrue(c.entropy() >= 0 && c.entropy() <= Math.log(COLORS) + 1e-9, id + " entropy " + c.entropy());
    }

    @Test
    void lstmKeepsTheContractAndLearns() throws Exception {
        checkContract("lstm");
        assertTrue(train(make("lstm", 1), 150) > 0.6, "the LSTM controller should find most of the target");
    }

    @Test
    void evolutionKeepsTheContractAndLearns() throws Exception {
        checkContract("evolution");
        assertTrue(train(make("evolution", 1), 150) > 0.6, "evolution should find most of the target");
    }

    @Test
    void randomControllerKeepsTheContractAndStaysNearChance() throws Exception {
        checkContract("random");
        double late = train(make("random", 1), 40);
        assertTrue(Math.abs(late - 1.0 / COLORS) < 0.1, "random controller reward " + late);
    }

    @Test
    void fixedPopulationKeepsTheContractAndNeverChangesItsMembers() throws Exception {
        checkContract("fixed-random");
        Function<PartitionController, int[][]> ask = c -> {
            int[][] out = new int[BATCH][EDGES];
            c.ask(0, out);
            return out;
        };
        PartitionController c = make("fixed-random", 2);
        int[][] before = ask.apply(c);
        train(c, 10);
        int[][] after = ask.apply(c);
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(before[i], after[i]);
        }
    }
}
