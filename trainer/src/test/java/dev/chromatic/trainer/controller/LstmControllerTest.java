package dev.chromatic.trainer.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import org.junit.jupiter.api.Test;

/** The LSTM network's gradients and the REINFORCE and PPO updates built on them. */
class LstmControllerTest {

    private static final int[][] PATHS = {{0, 3, 1, 1, 2, 0, 3}, {2, 2, 0, 3, 1, 1, 0}, {1, 0, 3, 3, 2, 2, 1}};

    /** A small network with weights larger than the initialisation, so every gate is exercised. */
    private static LstmPolicy policy(ParallelFor parallel, long seed) {
        LstmPolicy p = new LstmPolicy(7, 4, 3, 1.3, 5, 3, parallel);
        double[] w = p.params();
        Rng rng = new Rng(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.8 * rng.nextGaussian();
        }
        return p;
    }

    /** Worst relative error between {@code gradient} and central differences of {@code objective}. */
    private static double worstGradientError(LstmPolicy p, LstmPolicy.DecisionObjective f, double beta) {
        double[] w = p.params();
        double[] grad = new double[w.length];
        p.gradient(PATHS, f, beta, grad, null);
        double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < w.length; i++) {
            double keep = w[i];
            w[i] = keep + h;
            double up = p.objective(PATHS, f, beta);
            w[i] = keep - h;
            double down = p.objective(PATHS, f, beta);
            w[i] = keep;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - grad[i]) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i]));
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void reinforceGradientWithEntropyMatchesFiniteDifferences() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            LstmPolicy p = policy(parallel, 5);
            double[] advantage = {0.7, -1.3, 0.4};
            double worst = worstGradientError(p, LstmController.reinforce(advantage), 0.37);
            assertTrue(worst < 1e-5, "worst relative gradient error " + worst);
        }
    }

    @Test
    void entropyGradientAloneMatchesFiniteDifferences() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            LstmPolicy p = policy(parallel, 6);
            double worst = worstGradientError(p, LstmController.reinforce(new double[3]), 1.0);
            assertTrue(worst < 1e-5, "worst relative gradient error " + worst);
        }
    }

    @Test
    void clippedSurrogateGradientMatchesFiniteDifferences() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            // old log-probabilities from other weights, so ratios spread over both sides of the clip
            LstmPolicy old = policy(parallel, 7);
            double[][] oldLogp = new double[PATHS.length][7];
            old.gradient(PATHS, LstmController.reinforce(new double[3]), 0.0, new double[old.params().length], oldLogp);
            LstmPolicy p = policy(parallel, 7);
            Rng rng = new Rng(8);
            double[] w = p.params();
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.15 * rng.nextGaussian();
            }
            double[] advantage = {1.1, -0.6, -0.5};
            LstmPolicy.DecisionObjective f = PpoController.clipped(advantage, oldLogp, 0.2);
            int clipped = 0;
            double[][] logp = new double[PATHS.length][7];
            p.gradient(PATHS, f, 0.0, new double[w.length], logp);
            for (int i = 0; i < PATHS.length; i++) {
                for (int t = 0; t < 7; t++) {
                    if (f.slope(i, t, logp[i][t]) == 0.0) {
                        clipped++;
                    }
                }
            }
            assertTrue(clipped > 0 && clipped < 21, "decisions held by the clip: " + clipped);
            double worst = worstGradientError(p, f, 0.25);
            assertTrue(worst < 1e-5, "worst relative gradient error " + worst);
        }
    }

    @Test
    void clipStopsTheGradientOnlyWhereTheRatioHasMovedInTheAdvantagesDirection() {
        double[][] old = {{Math.log(0.5)}};
        double eps = 0.2;
        double up = Math.log(0.5 * 1.3);
        double down = Math.log(0.5 * 0.7);
        LstmPolicy.DecisionObjective good = PpoController.clipped(new double[] {1.0}, old, eps);
        LstmPolicy.DecisionObjective bad = PpoController.clipped(new double[] {-1.0}, old, eps);
        assertEquals(0.0, good.slope(0, 0, up));
        assertEquals(0.7, good.slope(0, 0, down), 1e-12);
        assertEquals(0.0, bad.slope(0, 0, down));
        assertEquals(-1.3, bad.slope(0, 0, up), 1e-12);
        assertEquals(1.0, good.slope(0, 0, old[0][0]), 1e-12);
    }

    @Test
    void entropyRegulariserAloneSpreadsAPeakedPolicy() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            LstmPolicy p = policy(parallel, 9);
            double[] grad = new double[p.params().length];
            LstmPolicy.DecisionObjective none = LstmController.reinforce(new double[3]);
            double before = p.gradient(PATHS, none, 1.0, grad, null);
            for (int k = 0; k < 20; k++) {
                p.gradient(PATHS, none, 1.0, grad, null);
                for (int i = 0; i < grad.length; i++) {
                    p.params()[i] += 0.5 * grad[i];
                }
            }
            double after = p.gradient(PATHS, none, 1.0, grad, null);
            assertTrue(after > before + 0.05, "entropy " + before + " -> " + after);
        }
    }

    @Test
    void advantagesAreZScoredAndIgnoreFailedRollouts() {
        double[] a = Advantages.zScore(new double[] {1, 2, Double.NaN, 3, 4});
        assertEquals(0.0, a[2]);
        double mean = (a[0] + a[1] + a[3] + a[4]) / 4;
        double var = (a[0] * a[0] + a[1] * a[1] + a[3] * a[3] + a[4] * a[4]) / 4 - mean * mean;
        assertEquals(0.0, mean, 1e-12);
        assertEquals(1.0, var, 1e-12);
        assertTrue(a[0] < a[1] && a[1] < a[3] && a[3] < a[4]);
    }

    @Test
    void aBatchWithoutSpreadCarriesNoSignal() {
        assertNull(Advantages.zScore(new double[] {5, 5, 5}));
        assertNull(Advantages.zScore(new double[] {5, Double.NaN}));
        assertNull(Advantages.zScore(new double[0]));
    }

    @Test
    void oneEpochOfPpoIsExactlyAReinforceStep() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            LstmController reinforce = new LstmController(20, 5, 4, 0.01, 0.05, 1.0, parallel, 8, 4);
            PpoController ppo = new PpoController(20, 5, 4, 0.01, 0.05, 1.0, 0.2, 1, parallel, 8, 4);
            int[][] a = new int[6][20];
            int[][] b = new int[6][20];
            for (int round = 0; round < 3; round++) {
                reinforce.ask(round, a);
                ppo.ask(round, b);
                double[] r = new double[6];
                for (int i = 0; i < 6; i++) {
                    assertArrayEquals(a[i], b[i]);
                    r[i] = a[i][0] + 0.1 * a[i][7];
                }
                reinforce.tell(round, a, r);
                ppo.tell(round, b, r);
            }
            assertArrayEquals(reinforce.policy().params(), ppo.policy().params());
        }
    }

    @Test
    void sameRoundGivesSamePartitionsWhateverTheThreadCount() {
        int[][] a = new int[6][30];
        int[][] b = new int[6][30];
        try (ParallelFor one = new ParallelFor(1); ParallelFor two = new ParallelFor(2)) {
            new LstmController(30, 5, 11, 1e-3, 0.3, 1.0, one).ask(4, a);
            new LstmController(30, 5, 11, 1e-3, 0.3, 1.0, two).ask(4, b);
        }
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }

    @Test
    void updatesAreBitIdenticalWhateverTheThreadCount() {
        try (ParallelFor one = new ParallelFor(1); ParallelFor two = new ParallelFor(2)) {
            LstmController[] lstm = {new LstmController(25, 6, 2, 0.01, 0.05, 1.0, one, 8, 4),
                new LstmController(25, 6, 2, 0.01, 0.05, 1.0, two, 8, 4)};
            PpoController[] ppo = {new PpoController(25, 6, 2, 0.01, 0.05, 1.0, 0.2, 3, one, 8, 4),
                new PpoController(25, 6, 2, 0.01, 0.05, 1.0, 0.2, 3, two, 8, 4)};
            // 11 samples: chunks of CHUNK do not divide it, and two workers split it unevenly
            for (PartitionController[] pair : new PartitionController[][] {lstm, ppo}) {
                for (int round = 0; round < 4; round++) {
                    for (PartitionController c : pair) {
                        int[][] batch = new int[11][25];
                        c.ask(round, batch);
                        double[] r = new double[11];
                        for (int i = 0; i < 11; i++) {
                            r[i] = batch[i][3] - batch[i][17];
                        }
                        c.tell(round, batch, r);
                    }
                }
            }
            assertArrayEquals(lstm[0].policy().params(), lstm[1].policy().params());
            assertArrayEquals(ppo[0].policy().params(), ppo[1].policy().params());
        }
    }
}
