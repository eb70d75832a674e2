package dev.chromatic.runtime.policy;

import java.util.SplittableRandom;

/**
 * Randomly initialised policies in the real format: the starting point of training and the input
 * of tests and benchmarks. Initialisation follows the authors' code: one seeded stream gives the
 * coloring, then shared weights ~ N(0, 1), then hidden biases ~ U(-1, 1). The output layer is tanh
 * with no bias (parameters = the pool + one bias per hidden node); scaling is the identity.
 */
public final class PolicyFactory {

    private PolicyFactory() {
    }

    /**
     * A random policy of {@code structure} for layer sizes {@code dims}; {@code colors} (M) is
     * used by chromatic only, the other structures derive their pool size from {@code dims}.
     */
    public static Policy random(StructureKind structure, int colors, int[] dims, Activation hidden, long seed)
            throws PolicyFormatException {
        if (dims == null || dims.length < 2) {
            throw new PolicyFormatException("dims", "needs at least an input and an output size");
        }
        for (int l = 0; l < dims.length; l++) {
            if (dims[l] < 1 || dims[l] > 4096) {
                throw new PolicyFormatException("dims[" + l + "]", "must be in 1..4096, was " + dims[l]);
            }
        }
        if (structure == StructureKind.CHROMATIC && (colors < 1 || colors > (1 << 20))) {
            throw new PolicyFormatException("colors", "must be in 1..2^20 for a chromatic policy, was " + colors);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int layers = dims.length - 1;
        int[][] coloring;
        switch (structure) {
            case CHROMATIC:
                coloring = PolicyStructures.chromatic(dims, colors, rng);
                break;
            case MASKED:
                coloring = PolicyStructures.masked(dims,
                        PolicyStructures.randomMask(dims, PolicyStructures.DEFAULT_KEEP_FRACTION, rng));
                break;
            default:
                coloring = PolicyStructures.coloring(structure, dims, colors, seed);
        }
        int pool = PolicyStructures.poolSize(structure, dims, colors);
        if (pool > (1 << 20)) {
            throw new PolicyFormatException("dims", structure + " needs " + pool + " weights, more than 2^20");
        }
        double[] weights = new double[pool];
        for (int c = 0; c < pool; c++) {
            weights[c] = gaussian(rng);
        }
        double[][] biases = new double[layers][];
        Activation[] activations = new Activation[layers];
        for (int l = 0; l < layers; l++) {
            biases[l] = new double[dims[l + 1]];
            activations[l] = l == layers - 1 ? Activation.TANH : hidden;
            if (l < layers - 1) {
                for (int i = 0; i < biases[l].length; i++) {
                    biases[l][i] = 2.0 * rng.nextDouble() - 1.0;
                }
            }
        }
        Policy.Builder b = Policy.builder();
        b.structure = structure;
        b.layerSizes = dims.clone();
        b.activations = activations;
        b.colorCount = pool;
        b.edgeColors = coloring;
        b.sharedWeights = weights;
        b.biases = biases;
        b.outputBias = false;
        b.identityScaling();
        b.metadata.put("init", "random");
        b.metadata.put("seed", Long.toString(seed));
        return b.build();
    }

    /** A standard normal draw (Box-Muller, one value per call). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
