package dev.chromatic.trainer.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import org.junit.jupiter.api.Test;

class LstmControllerTest {

    @Test
    void backpropagationMatchesFiniteDifferences() {
        try (ParallelFor parallel = new ParallelFor(1)) {
            LstmController c = new LstmController(7, 4, 3, 1e-3, 0.3, 0.99, 1.3, parallel, 5, 3);
            // larger weights than the initialisation so every gate is exercised
            double[] w = c.params();
            Rng rng = new Rng(5);
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.8 * rng.nextGaussian();
            }
            int[] partition = {0, 3, 1, 1, 2, 0, 3};
            double[] grad = c.gradient(new int[][] {partition}, new double[] {1.0});
            double h = 1e-6;
            double worst = 0;
            for (int i = 0; i < w.length; i++) {
                double keep = w[i];
                w[i] = keep + h;
                double up = c.logProbability(partition);
                w[i] = keep - h;
                double down = c.logProbability(partition);
                w[i] = keep;
                double numeric = (up - down) / (2 * h);
                double err = Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]));
                worst = Math.max(worst, err);
            }
            assertTrue(worst < 1e-5, "worst relative gradient error " + worst);
        }
    }

    @Test
    void sameRoundGivesSamePartitionsWhateverTheThreadCount() {
        int[][] a = new int[6][30];
        int[][] b = new int[6][30];
        try (ParallelFor one = new ParallelFor(1); ParallelFor two = new ParallelFor(2)) {
            new LstmController(30, 5, 11, 1e-3, 0.3, 0.99, 1.0, one).ask(4, a);
            new LstmController(30, 5, 11, 1e-3, 0.3, 0.99, 1.0, two).ask(4, b);
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(java.util.Arrays.toString(a[i]), java.util.Arrays.toString(b[i]));
        }
    }
}
