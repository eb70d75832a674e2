package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.Activation;

/** Layer sizes and the shared bookkeeping of every parameterization (edge and bias offsets). */
final class Layout {

    final int[] sizes;
    final Activation[] activations;
    final int layers;
    final int edges;
    final int hiddenBiases;

    Layout(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("need an input and an output size");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1");
            }
        }
        this.sizes = sizes.clone();
        this.layers = sizes.length - 1;
        this.activations = new Activation[layers];
        java.util.Arrays.fill(activations, Activation.TANH);
        int e = 0;
        int b = 0;
        for (int l = 0; l < layers; l++) {
            e += sizes[l] * sizes[l + 1];
            if (l < layers - 1) {
                b += sizes[l + 1];
            }
        }
        this.edges = e;
        this.hiddenBiases = b;
    }

    /** Copies hidden biases from {@code theta[offset..]} into the bias arrays (output layer 0). */
    void applyBiases(double[] theta, int offset, double[][] biasesOut) {
        int k = offset;
        for (int l = 0; l < layers; l++) {
            double[] b = biasesOut[l];
            if (l < layers - 1) {
                System.arraycopy(theta, k, b, 0, b.length);
                k += b.length;
            } else {
                java.util.Arrays.fill(b, 0.0);
            }
        }
    }

    void initBiases(dev.chromatic.trainer.es.Rng rng, double[] theta, int offset) {
        for (int i = 0; i < hiddenBiases; i++) {
            theta[offset + i] = -1.0 + 2.0 * rng.nextDouble();
        }
    }
}
