package dev.chromatic.runtime.inference;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;

/**
 * The float64 reference evaluator of a colored network:
 * {@code y_i = act_l( sum_j W[c_l(i, j)] * x_j + b_l[i] )}, edges of color {@link Policy#PRUNED}
 * skipped. Reusable by a trainer: build once for the layer sizes, then {@link #setParameters}
 * before each rollout (references are stored, nothing is copied or allocated).
 * Not thread-safe.
 */
public final class FloatNetwork implements NetworkEvaluator {

    private final int[] layerSizes;
    private final Activation[] activations;
    private final double[][] buffers;
    private int[][] edgeColors;
    private double[] sharedWeights;
    private double[][] biases;

    /** An evaluator for the given sizes; call {@link #setParameters} before {@link #evaluate}. */
    public FloatNetwork(int[] layerSizes, Activation[] activations) {
        if (layerSizes.length < 2 || activations.length != layerSizes.length - 1) {
            throw new IllegalArgumentException("layerSizes needs >= 2 entries and one activation per layer");
        }
        this.layerSizes = layerSizes.clone();
        this.activations = activations.clone();
        this.buffers = new double[layerSizes.length][];
        for (int l = 1; l < layerSizes.length - 1; l++) {
            buffers[l] = new double[layerSizes[l]];
        }
    }

    /** The reference evaluator of a validated policy. */
    public static FloatNetwork of(Policy policy) {
        FloatNetwork net = new FloatNetwork(policy.layerSizes(), policy.activations());
        int[][] colors = new int[policy.layerCount()][];
        double[][] biases = new double[policy.layerCount()][];
        for (int l = 0; l < colors.length; l++) {
            colors[l] = policy.edgeColors(l);
            biases[l] = policy.biases(l);
        }
        net.setParameters(colors, policy.sharedWeights(), biases);
        return net;
    }

    /**
     * Installs the parameters by reference. {@code edgeColors[l]} is row-major {@code [out][in]};
     * {@code biases[l]} has one entry per output of layer l (zeros where a layer has no bias).
     */
    public void setParameters(int[][] edgeColors, double[] sharedWeights, double[][] biases) {
        if (edgeColors.length != activations.length || biases.length != activations.length) {
            throw new IllegalArgumentException("expected " + activations.length + " layers of colors and biases");
        }
        for (int l = 0; l < activations.length; l++) {
            if (edgeColors[l].length != layerSizes[l] * layerSizes[l + 1] || biases[l].length != layerSizes[l + 1]) {
                throw new IllegalArgumentException("layer " + l + ": colors or biases have the wrong length");
            }
        }
        this.edgeColors = edgeColors;
        this.sharedWeights = sharedWeights;
        this.biases = biases;
    }

    @Override
    public int inputDim() {
        return layerSizes[0];
    }

    @Override
    public int outputDim() {
        return layerSizes[layerSizes.length - 1];
    }

    @Override
    public void evaluate(double[] input, double[] output) {
        int layers = activations.length;
        double[] w = sharedWeights;
        double[] x = input;
        for (int l = 0; l < layers; l++) {
            double[] y = l == layers - 1 ? output : buffers[l + 1];
            int in = layerSizes[l];
            int out = layerSizes[l + 1];
            int[] c = edgeColors[l];
            double[] b = biases[l];
            boolean tanh = activations[l] == Activation.TANH;
            for (int i = 0, row = 0; i < out; i++, row += in) {
                double sum = b[i];
                for (int j = 0; j < in; j++) {
                    int color = c[row + j];
                    if (color >= 0) {
                        sum += w[color] * x[j];
                    }
                }
                y[i] = tanh ? Math.tanh(sum) : sum;
            }
            x = y;
        }
    }
}
