package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.es.Rng;

/**
 * Chromatic network (paper section 3): theta = M shared weights + one bias per hidden node; the
 * coloring of every edge comes from a partition proposed by the controller for each rollout.
 */
public final class ChromaticParameterization extends LayoutParameterization {

    private final int colors;

    public ChromaticParameterization(int[] sizes, int colors) {
        super(new Layout(sizes));
        if (colors < 1) {
            throw new IllegalArgumentException("colors must be >= 1, was " + colors);
        }
        this.colors = colors;
    }

    @Override
    public StructureKind kind() {
        return StructureKind.CHROMATIC;
    }



    @Override
    public int parameterCount() {
        return colors + layout.hiddenBiases;
    }

    @Override
    public int poolSize() {
        return colors;
    }


    @Override
    public boolean learnsPartition() {
        return true;
    }

    @Override
    public int colorCount() {
        return colors;
    }

    @Override
    public double[] initialTheta(long seed, double weightScale) {
        Rng rng = Rng.derive(seed, 21);
        double[] theta = new double[parameterCount()];
        for (int i = 0; i < colors; i++) {
            theta[i] = weightScale * rng.nextGaussian();
        }
        layout.initBiases(rng, theta, colors);
        return theta;
    }

    @Override
    public void apply(double[] theta, int[] partition, int[][] colorsOut, double[] weightsOut, double[][] biasesOut) {
        System.arraycopy(theta, 0, weightsOut, 0, colors);
        int k = 0;
        for (int l = 0; l < layout.layers; l++) {
            int[] c = colorsOut[l];
            System.arraycopy(partition, k, c, 0, c.length);
            k += c.length;
        }
        layout.applyBiases(theta, colors, biasesOut);
    }

    @Override
    public int weightParams(double[] theta) {
        return colors;
    }
}
