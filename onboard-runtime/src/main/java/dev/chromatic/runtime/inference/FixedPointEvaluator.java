package dev.chromatic.runtime.inference;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;

/**
 * The shared frame of the integer kernels: quantises the input (Q16.16, clipped), runs each layer's
 * integer product through {@link #layer}, applies the activation (table tanh) and clips hidden
 * values for the next layer. Subclasses differ only in how they form {@code sum_j w_q * x_q}, which
 * is exact in a {@code long}, so all kernels give bit-identical outputs. Preallocated; never
 * allocates after construction. Not thread-safe.
 */
public abstract class FixedPointEvaluator implements NetworkEvaluator {

    protected final int[] layerSizes;
    protected final int layers;
    /** Weight scale exponent: {@code w_q = round(w * 2^shift)}. */
    protected final int shift;
    /** Quantised shared weights, indexed by color. */
    protected final int[] weightQ;
    /** Biases at accumulator scale, per layer. */
    protected final long[][] biasQ;
    private final boolean[] tanh;
    private final int[][] activations;

    protected FixedPointEvaluator(Policy policy) {
        this.layerSizes = policy.layerSizes().clone();
        this.layers = policy.layerCount();
        this.shift = FixedPoint.weightShift(policy.sharedWeights());
        double[] w = policy.sharedWeights();
        this.weightQ = new int[w.length];
        for (int c = 0; c < w.length; c++) {
            weightQ[c] = FixedPoint.quantizeWeight(w[c], shift);
        }
        this.biasQ = new long[layers][];
        this.tanh = new boolean[layers];
        this.activations = new int[layers + 1][];
        for (int l = 0; l < layers; l++) {
            double[] b = policy.biases(l);
            biasQ[l] = new long[b.length];
            for (int i = 0; i < b.length; i++) {
                biasQ[l][i] = FixedPoint.quantizeBias(b[i], shift);
            }
            tanh[l] = policy.activation(l) == Activation.TANH;
        }
        for (int l = 0; l <= layers; l++) {
            activations[l] = new int[layerSizes[l]];
        }
    }

    @Override
    public final int inputDim() {
        return layerSizes[0];
    }

    @Override
    public final int outputDim() {
        return layerSizes[layers];
    }

    /** The weight scale exponent of this network. */
    public final int weightShift() {
        return shift;
    }

    @Override
    public final void evaluate(double[] input, double[] output) {
        int[] in = activations[0];
        for (int j = 0; j < in.length; j++) {
            in[j] = FixedPoint.toQ(input[j]);
        }
        int[] out = activations[layers];
        run();
        for (int i = 0; i < out.length; i++) {
            output[i] = FixedPoint.toDouble(out[i]);
        }
    }

    /** The integer network: Q16.16 in (clipped here), Q16.16 out. */
    public final void evaluateFixed(int[] inputQ, int[] outputQ) {
        int[] in = activations[0];
        for (int j = 0; j < in.length; j++) {
            in[j] = FixedPoint.clipInput(inputQ[j]);
        }
        run();
        System.arraycopy(activations[layers], 0, outputQ, 0, outputQ.length);
    }

    private void run() {
        for (int l = 0; l < layers; l++) {
            int[] y = activations[l + 1];
            layer(l, activations[l], y);
            boolean hidden = l < layers - 1;
            if (tanh[l]) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = FixedPoint.tanh(y[i]);
                }
            } else if (hidden) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = FixedPoint.clipInput(y[i]);
                }
            }
        }
    }

    /**
     * {@code y[i] = roundToQ(biasQ[l][i] + sum_j w_q(c_l(i, j)) * x[j], shift)} for layer {@code l};
     * {@code x} is clipped to {@link FixedPoint#INPUT_LIMIT}.
     */
    protected abstract void layer(int l, int[] x, int[] y);
}
