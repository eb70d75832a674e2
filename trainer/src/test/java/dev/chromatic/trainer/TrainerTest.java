package dev.chromatic.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    static TrainConfig small(String structure, String controller) {
        TrainConfig c = new TrainConfig();
        c.env = "pendulum";
        c.structure = structure;
        c.controller = controller;
        c.colors = 5;
        c.hidden = new int[] {6};
        c.perturbations = 3;
        c.exact = 2;
        c.iterations = 6;
        c.maxSteps = 40;
        c.controllerPhase = 2;
        c.evalEpisodes = 2;
        c.checkpointEvery = 0;
        return c;
    }

    private static Trainer run(TrainConfig c, int threads, int until) throws Exception {
        c.threads = threads;
        ParallelFor parallel = new ParallelFor(threads);
        Trainer t = new Trainer(c, new LocalRolloutEvaluator(parallel), parallel, () -> 0L);
        t.runUntil(until, null, null);
        return t;
    }

    @Test
    void sameSeedGivesSamePolicyWhateverTheThreadCount() throws Exception {
        Trainer one = run(small("chromatic", "lstm"), 1, 6);
        Trainer two = run(small("chromatic", "lstm"), 2, 6);
        assertArrayEquals(one.theta(), two.theta());
        Policy p1 = one.finish(null).policy;
        Policy p2 = two.finish(null).policy;
        assertArrayEquals(p1.sharedWeights(), p2.sharedWeights());
        assertArrayEquals(p1.edgeColors(0), p2.edgeColors(0));
        assertArrayEquals(p1.obsStd(), p2.obsStd());
    }

    @Test
    void resumedRunEndsExactlyAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        resumeEndsExactly("lstm", dir);
    }

    @Test
    void resumedPpoRunEndsExactlyAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        resumeEndsExactly("ppo", dir);
    }

    private static void resumeEndsExactly(String controller, Path dir) throws Exception {
        Trainer whole = run(small("chromatic", controller), 2, 6);
        Trainer first = run(small("chromatic", controller), 2, 3);
        Path ckpt = dir.resolve("run.ckpt");
        first.saveCheckpoint(ckpt);
        TrainConfig c = small("chromatic", controller);
        c.threads = 1;
        ParallelFor parallel = new ParallelFor(1);
        Trainer resumed = new Trainer(c, new LocalRolloutEvaluator(parallel), parallel, () -> 0L);
        resumed.loadCheckpoint(ckpt);
        assertEquals(3, resumed.iteration());
        resumed.runUntil(6, null, null);
        assertArrayEquals(whole.theta(), resumed.theta());
        Policy a = whole.finish(null).policy;
        Policy b = resumed.finish(null).policy;
        assertArrayEquals(a.sharedWeights(), b.sharedWeights());
        assertArrayEquals(a.edgeColors(1), b.edgeColors(1));
        assertEquals(whole.rows().size(), resumed.rows().size());
        for (int i = 0; i < whole.rows().size(); i++) {
            String w = whole.rows().get(i).toCsv();
            String r = resumed.rows().get(i).toCsv();
            // seconds differ between runs; every metric after them must not
            assertEquals(w.substring(w.indexOf(',', w.indexOf(',') + 1)), r.substring(r.indexOf(',', r.indexOf(',') + 1)));
        }
    }

    @Test
    void everyIterationLogsThePartitionMetricsAndTheDisplacementRankOfEveryLayer() throws Exception {
        Trainer t = run(small("chromatic", "lstm"), 1, 6);
        int edges = 3 * 6 + 6 * 1;
        for (int i = 0; i < t.rows().size(); i++) {
            dev.chromatic.trainer.report.MetricsRow row = t.rows().get(i);
            assertEquals(2, row.displacementRanksToeplitz.length);
            assertEquals(2, row.displacementRanksToeplitzHankel.length);
            // a 6 x 3 and a 1 x 6 matrix: ranks at most 3 and 1
            assertTrue(row.displacementRanksToeplitz[0] <= 3 && row.displacementRanksToeplitz[1] <= 1);
            assertTrue(row.displacementRanksToeplitzHankel[0] <= 3 && row.displacementRanksToeplitzHankel[1] <= 1);
            if (i == 0) {
                assertTrue(Double.isNaN(row.distance) && Double.isNaN(row.randIndex));
            } else {
                assertTrue(row.distance >= 0 && row.distance <= edges, "distance " + row.distance);
                assertTrue(row.randIndex >= 0 && row.randIndex <= 1);
            }
            assertEquals(row.toCsv(), dev.chromatic.trainer.report.MetricsRow.parse(row.toCsv()).toCsv());
        }
        // the LSTM samples new partitions every iteration: successive best colorings differ somewhere
        assertTrue(t.rows().stream().skip(1).anyMatch(r -> r.distance > 0), "every distance was 0");
    }

    @Test
    void toeplitzAndCirculantLayersHaveToeplitzDisplacementRankAtMostTwo() throws Exception {
        for (String structure : new String[] {"toeplitz", "circulant"}) {
            TrainConfig c = small(structure, "lstm");
            c.hidden = new int[] {9};
            c.iterations = 2;
            Trainer t = run(c, 1, 2);
            for (dev.chromatic.trainer.report.MetricsRow row : t.rows()) {
                for (int rank : row.displacementRanksToeplitz) {
                    assertTrue(rank <= 2, structure + ": " + java.util.Arrays.toString(row.displacementRanksToeplitz));
                }
            }
            TrainResult result = t.finish(null);
            assertEquals(2, result.displacementRanksToeplitzHankel.length);
            assertTrue(result.displacementRanks[0] <= 2);
        }
    }

    @Test
    void aMaskedNetworkExportsItsFinalWeightsSoTheFileHasTheSparsityTheObjectiveReached() throws Exception {
        TrainConfig c = small("masked", "lstm");
        c.iterations = 8;
        c.maskBetaEnd = 0.0;
        Trainer t = run(c, 1, 8);
        TrainResult result = t.finish(null);
        assertEquals(t.structure().weightParams(t.theta()), result.weightParams);
        assertEquals("8", result.policy.metadata().get("selected_from_iteration"));
        int kept = 0;
        for (int l = 0; l < 2; l++) {
            for (int color : result.policy.edgeColors(l)) {
                kept += color == Policy.PRUNED ? 0 : 1;
            }
        }
        assertEquals(result.weightParams, kept);
    }

    @Test
    void everyStructureAndControllerTrainsAndExportsAValidPolicy() throws Exception {
        String[][] runs = {
            {"chromatic", "ppo"}, {"chromatic", "evolution"}, {"chromatic", "random"}, {"chromatic", "fixed-random"},
            {"toeplitz", "lstm"}, {"circulant", "lstm"}, {"unstructured", "lstm"}, {"masked", "lstm"}
        };
        for (String[] r : runs) {
            TrainConfig c = small(r[0], r[1]);
            c.iterations = 2;
            TrainResult result = run(c, 2, 2).finish(null);
            Policy p = result.policy;
            assertEquals(3, p.observationDim(), r[0]);
            assertEquals(1, p.actionDim(), r[0]);
            assertTrue(Double.isFinite(result.reward), r[0] + "/" + r[1]);
            assertEquals(r[0].toUpperCase(), p.structure().name());
        }
    }
}
