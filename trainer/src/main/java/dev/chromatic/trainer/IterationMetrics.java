package dev.chromatic.trainer;

import dev.chromatic.trainer.report.MetricsRow;
import dev.chromatic.trainer.report.PartitionMetrics;

/**
 * Makes an iteration's metrics row: returns, controller entropy, and the partition metrics of the
 * best rollout's coloring (its entropy; Rand index, variation of information and Distance to the
 * previous iteration's best; the displacement ranks of its weight matrices). Keeps what spans
 * iterations: the previous best coloring and the run's best mean and single returns. Not
 * thread-safe.
 */
final class IterationMetrics {

    private final StructuredNetwork network;
    private int[] previousBest;
    private double bestMean = Double.NEGATIVE_INFINITY;
    private double bestMax = Double.NEGATIVE_INFINITY;

    IterationMetrics(StructuredNetwork network) {
        this.network = network;
    }

    /**
     * The row of iteration {@code k} (seconds not set): {@code returns} in slot order, evaluated
     * at {@code theta} with {@code partitions} (null for a fixed structure).
     */
    MetricsRow record(int k, long rollouts, double[] returns, double pivot, double controllerEntropy, double[] theta,
            int[][] partitions) {
        MetricsRow row = new MetricsRow();
        row.iteration = k;
        row.rollouts = rollouts;
        double sum = 0;
        int best = 0;
        for (int s = 0; s < returns.length; s++) {
            sum += returns[s];
            if (returns[s] > returns[best]) {
                best = s;
            }
        }
        row.meanReturn = sum / returns.length;
        row.maxReturn = returns[best];
        row.pivotReturn = pivot;
        bestMean = Math.max(bestMean, row.meanReturn);
        bestMax = Math.max(bestMax, row.maxReturn);
        row.controllerEntropy = controllerEntropy;
        int[] bestPartition = partitions == null ? null : partitions[best];
        int[] bestColoring = network.flatColoring(theta, bestPartition);
        row.coloringEntropy = PartitionMetrics.entropy(bestColoring);
        if (previousBest != null) {
            row.randIndex = PartitionMetrics.randIndex(previousBest, bestColoring);
            row.variationOfInformation = PartitionMetrics.variationOfInformation(previousBest, bestColoring);
            row.distance = PartitionMetrics.distance(previousBest, bestColoring);
        } else {
            row.randIndex = Double.NaN;
            row.variationOfInformation = Double.NaN;
            row.distance = Double.NaN;
        }
        // a copy: the coloring may be the sampled partition's own array, which the next iteration refills
        previousBest = bestColoring.clone();
        double[][] matrices = network.weightMatrices(theta, bestPartition);
        row.displacementRanksToeplitz = network.displacementRanks(matrices, false);
        row.displacementRanksToeplitzHankel = network.displacementRanks(matrices, true);
        row.keptFraction = network.structure().keptFraction(theta);
        row.weightParams = network.structure().weightParams(theta);
        return row;
    }

    /** Highest mean-over-slots return of any iteration so far. */
    double bestMean() {
        return bestMean;
    }

    /** Highest single-rollout return so far. */
    double bestMax() {
        return bestMax;
    }

    /** The last iteration's best coloring, or null before the first. */
    int[] previousBest() {
        return previousBest;
    }

    /** Continues from a checkpoint's values. */
    void restore(double bestMean, double bestMax, int[] previousBest) {
        this.bestMean = bestMean;
        this.bestMax = bestMax;
        this.previousBest = previousBest;
    }
}
