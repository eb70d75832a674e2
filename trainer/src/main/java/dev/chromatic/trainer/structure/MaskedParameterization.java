package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.es.Rng;

/**
 * Masked network (Lenc et al. 2019, paper section 4.1 and Appendix D): theta = unstructured
 * weights W (one per edge) + mask logits S (one per edge) + hidden biases, all trained by ES.
 * The mask is {@code sigmoid(S / alpha)} with alpha = 0.01, a near-binary threshold; we take its
 * limit {@code m = 1[S > 0]} so the exported network is exactly the one trained (pruned edges get
 * color {@link Policy#PRUNED}). Logits start at {@code N(0, 0.1^2)}: about 50% of edges kept.
 * The size penalty lives in the trainer's fitness ({@code beta R + (1 - beta)(1 - eta)}).
 */
public final class MaskedParameterization extends LayoutParameterization {


    public MaskedParameterization(int[] sizes) {
        super(new Layout(sizes));
    }

    @Override
    public StructureKind kind() {
        return StructureKind.MASKED;
    }



    @Override
    public int parameterCount() {
        return 2 * layout.edges + layout.hiddenBiases;
    }

    @Override
    public int poolSize() {
        return layout.edges;
    }


    @Override
    public boolean learnsPartition() {
        return false;
    }

    @Override
    public int colorCount() {
        return layout.edges;
    }

    @Override
    public double[] initialTheta(long seed, double weightScale) {
        Rng rng = Rng.derive(seed, 21);
        double[] theta = new double[parameterCount()];
        for (int i = 0; i < layout.edges; i++) {
            theta[i] = weightScale * rng.nextGaussian();
        }
        for (int i = 0; i < layout.edges; i++) {
            theta[layout.edges + i] = 0.1 * rng.nextGaussian();
        }
        layout.initBiases(rng, theta, 2 * layout.edges);
        return theta;
    }

    @Override
    public void apply(double[] theta, int[] partition, int[][] colorsOut, double[] weightsOut, double[][] biasesOut) {
        int e = layout.edges;
        System.arraycopy(theta, 0, weightsOut, 0, e);
        int k = 0;
        for (int l = 0; l < layout.layers; l++) {
            int[] c = colorsOut[l];
            for (int i = 0; i < c.length; i++, k++) {
                c[i] = theta[e + k] > 0 ? k : Policy.PRUNED;
            }
        }
        layout.applyBiases(theta, 2 * e, biasesOut);
    }

    @Override
    public int weightParams(double[] theta) {
        int kept = 0;
        for (int i = 0; i < layout.edges; i++) {
            if (theta[layout.edges + i] > 0) {
                kept++;
            }
        }
        return kept;
    }

    @Override
    public double keptFraction(double[] theta) {
        return weightParams(theta) / (double) layout.edges;
    }
}
