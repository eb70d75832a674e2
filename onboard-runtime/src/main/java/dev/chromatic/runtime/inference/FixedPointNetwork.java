package dev.chromatic.runtime.inference;

import dev.chromatic.runtime.policy.Policy;

/**
 * Dense fixed-point evaluator: each layer's colors expanded into an {@code int} weight matrix
 * (pruned edges 0) and multiplied row by row into a {@code long}. The reference for the mailman
 * kernels. Not thread-safe.
 */
public final class FixedPointNetwork extends FixedPointEvaluator {

    private final int[][] dense;

    private FixedPointNetwork(Policy policy) {
        super(policy);
        dense = new int[layers][];
        for (int l = 0; l < layers; l++) {
            int[] c = policy.edgeColors(l);
            dense[l] = new int[c.length];
            for (int e = 0; e < c.length; e++) {
                dense[l][e] = c[e] == Policy.PRUNED ? 0 : weightQ[c[e]];
            }
        }
    }

    /** @throws IllegalArgumentException when a shared weight is too large for fixed point (|w| >= 2^31) */
    public static FixedPointNetwork of(Policy policy) {
        return new FixedPointNetwork(policy);
    }

    @Override
    protected void layer(int l, int[] x, int[] y) {
        int[] w = dense[l];
        long[] b = biasQ[l];
        int in = x.length;
        int s = shift;
        for (int i = 0, row = 0; i < y.length; i++, row += in) {
            long acc = b[i];
            for (int j = 0; j < in; j++) {
                acc += (long) w[row + j] * x[j];
            }
            y[i] = FixedPoint.roundToQ(acc, s);
        }
    }
}
