package dev.chromatic.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionMetricsTest {

    @Test
    void relabelledPartitionIsTheSameClustering() {
        int[] a = {0, 0, 1, 1, 2, 2};
        int[] b = {5, 5, 3, 3, 0, 0};
        assertEquals(1.0, PartitionMetrics.randIndex(a, b), 1e-12);
        assertEquals(0.0, PartitionMetrics.variationOfInformation(a, b), 1e-12);
    }

    @Test
    void knownRandIndexAndVariationOfInformation() {
        int[] a = {0, 0, 1, 1};
        int[] b = {0, 1, 0, 1};
        // pairs: (01) same/diff, (02) diff/same, (03) diff/diff, (12) diff/diff, (13) diff/same, (23) same/diff
        assertEquals(2.0 / 6.0, PartitionMetrics.randIndex(a, b), 1e-12);
        // independent halves: VI = H(a) + H(b) = 2 ln 2
        assertEquals(2 * Math.log(2), PartitionMetrics.variationOfInformation(a, b), 1e-12);
    }

    @Test
    void uniformColoringHasMaximalEntropy() {
        assertEquals(Math.log(4), PartitionMetrics.entropy(new int[] {0, 1, 2, 3, 3, 2, 1, 0}), 1e-12);
        assertEquals(0.0, PartitionMetrics.entropy(new int[] {2, 2, 2, -1}), 1e-12);
    }

    @Test
    void toeplitzMatrixHasDisplacementRankAtMostTwo() {
        int rows = 6;
        int cols = 4;
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[i * cols + j] = 0.3 + 0.7 * Math.sin(1.3 * (i - j));
            }
        }
        assertTrue(DisplacementRank.of(t, rows, cols) <= 2);
        double[] r = new double[rows * cols];
        dev.chromatic.trainer.es.Rng rng = new dev.chromatic.trainer.es.Rng(3);
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 + rng.nextGaussian();
        }
        assertEquals(4, DisplacementRank.of(r, rows, cols));
    }
}
