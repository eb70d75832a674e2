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
        assertTrue(DisplacementRank.toeplitz(t, rows, cols) <= 2);
        double[] r = new double[rows * cols];
        dev.chromatic.trainer.es.Rng rng = new dev.chromatic.trainer.es.Rng(3);
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 + rng.nextGaussian();
        }
        assertEquals(4, DisplacementRank.toeplitz(r, rows, cols));
    }

    @Test
    void toeplitzPlusHankelMatrixHasDisplacementRankAtMostFourUnderTheToeplitzHankelPair() {
        dev.chromatic.trainer.es.Rng rng = new dev.chromatic.trainer.es.Rng(11);
        for (int[] shape : new int[][] {{7, 7}, {41, 17}, {6, 41}}) {
            int rows = shape[0];
            int cols = shape[1];
            double[] diag = new double[rows + cols];
            double[] anti = new double[rows + cols];
            for (int k = 0; k < diag.length; k++) {
                diag[k] = 1 + rng.nextGaussian();
                anti[k] = 1 + rng.nextGaussian();
            }
            double[] th = new double[rows * cols];
            double[] random = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    // integer-valued entries keep every entry clear of the 0.1 rounding
                    th[i * cols + j] = Math.rint(10 * diag[i - j + cols]) + Math.rint(10 * anti[i + j]) + 0.5;
                    random[i * cols + j] = 1 + rng.nextGaussian();
                }
            }
            int full = Math.min(rows, cols);
            assertTrue(DisplacementRank.toeplitzHankel(th, rows, cols) <= 4, rows + "x" + cols);
            assertTrue(DisplacementRank.toeplitz(th, rows, cols) > 4, "a Toeplitz+Hankel matrix is not Toeplitz-like");
            assertEquals(full, DisplacementRank.toeplitzHankel(random, rows, cols), rows + "x" + cols);
            assertEquals(full, DisplacementRank.toeplitz(random, rows, cols), rows + "x" + cols);
        }
    }

    @Test
    void aMatrixOfTheWrongSizeIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DisplacementRank.toeplitzHankel(new double[5], 2, 3));
        assertTrue(e.getMessage().contains("2 x 3"), e.getMessage());
    }

    @Test
    void distanceCountsTheEdgesWhoseWeightIndexDiffers() {
        int[] a = {0, 0, 1, 1, 2, -1};
        assertEquals(0, PartitionMetrics.distance(a, a.clone()));
        assertEquals(2, PartitionMetrics.distance(a, new int[] {0, 3, 1, 1, 2, 2}));
        // unlike the Rand index, a relabelling is a different assignment of weights
        assertEquals(6, PartitionMetrics.distance(new int[] {0, 0, 1, 1, 2, 2}, new int[] {5, 5, 3, 3, 0, 0}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PartitionMetrics.distance(new int[2], new int[3]));
    }
}
