package dev.chromatic.trainer;

import dev.chromatic.trainer.report.DisplacementRank;
import dev.chromatic.trainer.rollout.StructureSpec;
import dev.chromatic.trainer.structure.Parameterization;

/**
 * The run's parameterisation on its layer sizes: turns theta (and, for a learned structure, a
 * partition) into the network the policy file holds, per-layer edge colors into one weight pool,
 * and into the dense weight matrices the reports measure.
 */
final class StructuredNetwork {

    private final StructureSpec spec;
    private final Parameterization structure;
    private final int[] layerSizes;

    StructuredNetwork(StructureSpec spec) {
        this.spec = spec;
        this.structure = spec.build();
        this.layerSizes = spec.layerSizes.clone();
    }

    /** What a rollout worker rebuilds the structure from. */
    StructureSpec spec() {
        return spec;
    }

    Parameterization structure() {
        return structure;
    }

    /** Inputs, hidden layers, outputs. Not a copy: do not modify. */
    int[] layerSizes() {
        return layerSizes;
    }

    /** Per-layer edge colors (-1: no edge); fills the weight pool and one bias array per layer. */
    int[][] colors(double[] theta, int[] partition, double[] weightsOut, double[][] biasesOut) {
        int layers = layerSizes.length - 1;
        int[][] colors = new int[layers][];
        for (int l = 0; l < layers; l++) {
            colors[l] = new int[layerSizes[l] * layerSizes[l + 1]];
            biasesOut[l] = new double[layerSizes[l + 1]];
        }
        structure.apply(theta, partition, colors, weightsOut, biasesOut);
        return colors;
    }

    /** The coloring of every edge in layer order: the partition itself when there is one. */
    int[] flatColoring(double[] theta, int[] partition) {
        if (partition != null) {
            return partition;
        }
        int[][] colors = colors(theta, null, new double[structure.poolSize()], new double[layerSizes.length - 1][]);
        int[] flat = new int[structure.edgeCount()];
        int k = 0;
        for (int[] c : colors) {
            System.arraycopy(c, 0, flat, k, c.length);
            k += c.length;
        }
        return flat;
    }

    /** The weight matrices (row-major, outputs x inputs) that theta and the partition give. */
    double[][] weightMatrices(double[] theta, int[] partition) {
        double[] weights = new double[structure.poolSize()];
        int[][] colors = colors(theta, partition, weights, new double[layerSizes.length - 1][]);
        double[][] matrices = new double[colors.length][];
        for (int l = 0; l < colors.length; l++) {
            double[] w = new double[colors[l].length];
            for (int e = 0; e < w.length; e++) {
                w[e] = colors[l][e] >= 0 ? weights[colors[l][e]] : 0.0;
            }
            matrices[l] = w;
        }
        return matrices;
    }

    /**
     * The displacement rank of each of {@link #weightMatrices}, for the Toeplitz pair
     * {@code (Z_1, Z_-1)} or the Toeplitz-Hankel pair {@code (Y_00, Y_11)}.
     */
    int[] displacementRanks(double[][] matrices, boolean toeplitzHankel) {
        int[] ranks = new int[matrices.length];
        for (int l = 0; l < matrices.length; l++) {
            ranks[l] = toeplitzHankel ? DisplacementRank.toeplitzHankel(matrices[l], layerSizes[l + 1], layerSizes[l])
                    : DisplacementRank.toeplitz(matrices[l], layerSizes[l + 1], layerSizes[l]);
        }
        return ranks;
    }
}
