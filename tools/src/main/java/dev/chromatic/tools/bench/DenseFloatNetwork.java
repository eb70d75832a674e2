package dev.chromatic.tools.bench;

import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;

/**
 * The plain float64 network a non-chromatic runtime would run: each layer's colors expanded into a
 * dense {@code double} matrix, {@code Math.tanh}. The speed baseline of {@code bench inference}.
 */
final class DenseFloatNetwork implements NetworkEvaluator {

    private final int[] sizes;
    private final double[][] weights;
    private final double[][] biases;
    private final boolean[] tanh;
    private final double[][] buffers;

    DenseFloatNetwork(Policy p) {
        int layers = p.layerCount();
        sizes = p.layerSizes().clone();
        weights = new double[layers][];
        biases = new double[layers][];
        tanh = new boolean[layers];
        buffers = new double[layers + 1][];
        double[] w = p.sharedWeights();
        for (int l = 0; l < layers; l++) {
            int[] c = p.edgeColors(l);
            weights[l] = new double[c.length];
            for (int e = 0; e < c.length; e++) {
                weights[l][e] = c[e] == Policy.PRUNED ? 0.0 : w[c[e]];
            }
            biases[l] = p.biases(l).clone();
            tanh[l] = p.activation(l) == Activation.TANH;
            buffers[l + 1] = new double[sizes[l + 1]];
        }
    }

    @Override
    public int inputDim() {
        return sizes[0];
    }

    @Override
    public int outputDim() {
        return sizes[sizes.length - 1];
    }

    @Override
    public void evaluate(double[] input, double[] output) {
        double[] x = input;
        int layers = weights.length;
        for (int l = 0; l < layers; l++) {
            double[] y = l == layers - 1 ? output : buffers[l + 1];
            double[] w = weights[l];
            double[] b = biases[l];
            int in = x.length;
            for (int i = 0, row = 0; i < y.length; i++, row += in) {
                double acc = b[i];
                for (int j = 0; j < in; j++) {
                    acc += w[row + j] * x[j];
                }
                y[i] = tanh[l] ? Math.tanh(acc) : acc;
            }
            x = y;
        }
    }
}
