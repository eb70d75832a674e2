package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.StructureKind;

/**
 * How an ES parameter vector {@code theta} (plus, for chromatic networks, a sampled partition)
 * becomes the colored network every structure is stored as: edge colors into one pool of shared
 * weights, and biases. Hidden nodes carry a bias, output nodes do not (as in the authors' code);
 * every layer uses tanh. Implementations write into caller arrays and never allocate in
 * {@link #apply}. Thread-safe (immutable).
 */
public interface Parameterization {

    StructureKind kind();

    int[] layerSizes();

    Activation[] activations();

    /** Dimension of theta. */
    int parameterCount();

    /** Size of the shared-weight pool of the exported network. */
    int poolSize();

    /** Edges of the whole network, layer by layer, row-major {@code [out][in]}. */
    int edgeCount();

    /** True when the edge coloring is a partition chosen per rollout (chromatic). */
    boolean learnsPartition();

    /** Number of colors a partition draws from (chromatic); the pool size otherwise. */
    int colorCount();

    /**
     * Initial theta as in the authors' code: weights ~ N(0, weightScale^2) (their scale is 1),
     * biases ~ U(-1, 1).
     */
    double[] initialTheta(long seed, double weightScale);

    /**
     * Fills the network parameters: {@code colorsOut[l]} (row-major colors, -1 = pruned),
     * {@code weightsOut} (length {@link #poolSize()}) and {@code biasesOut[l]}.
     * {@code partition} is used only when {@link #learnsPartition()}.
     */
    void apply(double[] theta, int[] partition, int[][] colorsOut, double[] weightsOut, double[][] biasesOut);

    /** Distinct weight parameters the network really uses (masked: kept edges). */
    int weightParams(double[] theta);

    /** Fraction of edges kept (1 except for masked networks). */
    default double keptFraction(double[] theta) {
        return 1.0;
    }
}
