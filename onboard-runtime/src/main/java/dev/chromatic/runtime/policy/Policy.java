package dev.chromatic.runtime.policy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained policy in memory: a <em>colored network</em> plus everything inference needs around it
 * (observation normalisation, action scaling, the controller stack and control period it was
 * trained for). Every structure (chromatic, Toeplitz, circulant, unstructured, masked) is stored as
 * a coloring of its edges into one pool of {@code M} shared weights, so one runtime runs them all.
 *
 * <p>Layer {@code l} maps {@code layerSizes[l]} inputs to {@code layerSizes[l+1]} outputs:
 * {@code y_i = act_l( sum_j W[colors[l][i*in + j]] * x_j + biases[l][i] )}, where a color of
 * {@link #PRUNED} means the edge is absent. Hidden layers always carry a bias per node; the output
 * layer has one only when {@link #outputBias()} is true (otherwise its bias array is all zero).
 * The action is {@code actionOffset + actionScale * y}. The observation entering the network is
 * {@code clip((s - obsMean) / obsStd, -obsClip, obsClip)}.
 *
 * <p>Immutable once built; {@link #validate()} checks every dimension, color and number and names the
 * offending field. Arrays returned by accessors are the internal ones: do not modify them.
 */
public final class Policy {

    /** Color of a pruned (absent) edge. */
    public static final int PRUNED = -1;

    private final StructureKind structure;
    private final int[] layerSizes;
    private final Activation[] activations;
    private final int colorCount;
    private final int[][] edgeColors;
    private final double[] sharedWeights;
    private final double[][] biases;
    private final boolean outputBias;
    private final double[] obsMean;
    private final double[] obsStd;
    private final double obsClip;
    private final double[] actionScale;
    private final double[] actionOffset;
    private final long controlPeriodNs;
    private final String robot;
    private final String stack;
    private final String task;
    private final long version;
    private final Map<String, String> metadata;

    private Policy(Builder b) {
        this.structure = b.structure;
        this.layerSizes = b.layerSizes;
        this.activations = b.activations;
        this.colorCount = b.colorCount;
        this.edgeColors = b.edgeColors;
        this.sharedWeights = b.sharedWeights;
        this.biases = b.biases;
        this.outputBias = b.outputBias;
        this.obsMean = b.obsMean;
        this.obsStd = b.obsStd;
        this.obsClip = b.obsClip;
        this.actionScale = b.actionScale;
        this.actionOffset = b.actionOffset;
        this.controlPeriodNs = b.controlPeriodNs;
        this.robot = b.robot;
        this.stack = b.stack;
        this.task = b.task;
        this.version = b.version;
        this.metadata = Collections.unmodifiableMap(new TreeMap<>(b.metadata));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with every field of this policy (arrays deep-copied). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.structure = structure;
        b.layerSizes = layerSizes.clone();
        b.activations = activations.clone();
        b.colorCount = colorCount;
        b.edgeColors = new int[edgeColors.length][];
        for (int l = 0; l < edgeColors.length; l++) {
            b.edgeColors[l] = edgeColors[l].clone();
        }
        b.sharedWeights = sharedWeights.clone();
        b.biases = new double[biases.length][];
        for (int l = 0; l < biases.length; l++) {
            b.biases[l] = biases[l].clone();
        }
        b.outputBias = outputBias;
        b.obsMean = obsMean.clone();
        b.obsStd = obsStd.clone();
        b.obsClip = obsClip;
        b.actionScale = actionScale.clone();
        b.actionOffset = actionOffset.clone();
        b.controlPeriodNs = controlPeriodNs;
        b.robot = robot;
        b.stack = stack;
        b.task = task;
        b.version = version;
        b.metadata = new TreeMap<>(metadata);
        return b;
    }

    public StructureKind structure() {
        return structure;
    }

    /** Sizes {@code d0 (observation), d1, ..., dL (action)}. */
    public int[] layerSizes() {
        return layerSizes;
    }

    public int layerCount() {
        return layerSizes.length - 1;
    }

    public int observationDim() {
        return layerSizes[0];
    }

    public int actionDim() {
        return layerSizes[layerSizes.length - 1];
    }

    public Activation activation(int layer) {
        return activations[layer];
    }

    public Activation[] activations() {
        return activations;
    }

    /** M: the number of distinct shared weights. */
    public int colorCount() {
        return colorCount;
    }

    /** Colors of layer {@code l}, row-major {@code [out][in]}; {@link #PRUNED} for absent edges. */
    public int[] edgeColors(int layer) {
        return edgeColors[layer];
    }

    public double[] sharedWeights() {
        return sharedWeights;
    }

    /** Biases of layer {@code l} (length {@code layerSizes[l+1]}). */
    public double[] biases(int layer) {
        return biases[layer];
    }

    public boolean outputBias() {
        return outputBias;
    }

    public double[] obsMean() {
        return obsMean;
    }

    public double[] obsStd() {
        return obsStd;
    }

    public double obsClip() {
        return obsClip;
    }

    public double[] actionScale() {
        return actionScale;
    }

    public double[] actionOffset() {
        return actionOffset;
    }

    /** The control period the policy was trained for. */
    public long controlPeriodNs() {
        return controlPeriodNs;
    }

    /** Robot model id, e.g. {@code minitaur}; {@code none} for classic tasks. */
    public String robot() {
        return robot;
    }

    /** Controller stack id, e.g. {@code minitaur-pmtg}, {@code plain}. */
    public String stack() {
        return stack;
    }

    /** Task id the policy was trained on, e.g. {@code minitaur-walk}, {@code pendulum}. */
    public String task() {
        return task;
    }

    /** Monotonic policy version (set when signing; 0 when unsigned). */
    public long version() {
        return version;
    }

    /** Trainer settings, seed, reward, creation time and other free-form facts, sorted by key. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Total number of edges (pruned ones included). */
    public int edgeCount() {
        int n = 0;
        for (int l = 0; l < layerCount(); l++) {
            n += layerSizes[l] * layerSizes[l + 1];
        }
        return n;
    }

    /** Number of bias parameters actually used (hidden nodes, plus output nodes if output bias). */
    public int biasParamCount() {
        int n = 0;
        for (int l = 0; l < layerCount(); l++) {
            if (l < layerCount() - 1 || outputBias) {
                n += layerSizes[l + 1];
            }
        }
        return n;
    }

    /**
     * Checks every dimension, length, color index and number (finite; std positive) and throws
     * {@link PolicyFormatException} naming the first bad field.
     */
    public Policy validate() throws PolicyFormatException {
        if (structure == null) {
            throw new PolicyFormatException("structure", "missing");
        }
        if (layerSizes == null || layerSizes.length < 2) {
            throw new PolicyFormatException("layer_sizes", "needs at least an input and an output size");
        }
        for (int l = 0; l < layerSizes.length; l++) {
            if (layerSizes[l] <= 0 || layerSizes[l] > 4096) {
                throw new PolicyFormatException("layer_sizes[" + l + "]", "must be in 1..4096, was " + layerSizes[l]);
            }
        }
        int layers = layerSizes.length - 1;
        if (activations == null || activations.length != layers) {
            throw new PolicyFormatException("activations", "must have " + layers + " entries");
        }
        for (int l = 0; l < layers; l++) {
            if (activations[l] == null) {
                throw new PolicyFormatException("activations[" + l + "]", "missing");
            }
        }
        if (colorCount <= 0 || colorCount > (1 << 20)) {
            throw new PolicyFormatException("color_count", "must be in 1..2^20, was " + colorCount);
        }
        if (sharedWeights == null || sharedWeights.length != colorCount) {
            throw new PolicyFormatException("shared_weights", "must have color_count = " + colorCount + " entries");
        }
        requireFinite("shared_weights", sharedWeights);
        if (edgeColors == null || edgeColors.length != layers) {
            throw new PolicyFormatException("edge_colors", "must have " + layers + " layers");
        }
        if (biases == null || biases.length != layers) {
            throw new PolicyFormatException("biases", "must have " + layers + " layers");
        }
        for (int l = 0; l < layers; l++) {
            int edges = layerSizes[l] * layerSizes[l + 1];
            int[] c = edgeColors[l];
            if (c == null || c.length != edges) {
                throw new PolicyFormatException("edge_colors[" + l + "]", "must have " + edges + " entries");
            }
            for (int e = 0; e < edges; e++) {
                if (c[e] != PRUNED && (c[e] < 0 || c[e] >= colorCount)) {
                    throw new PolicyFormatException("edge_colors[" + l + "][" + e + "]",
                            "color " + c[e] + " outside 0.." + (colorCount - 1));
                }
            }
            double[] bl = biases[l];
            if (bl == null || bl.length != layerSizes[l + 1]) {
                throw new PolicyFormatException("biases[" + l + "]", "must have " + layerSizes[l + 1] + " entries");
            }
            requireFinite("biases[" + l + "]", bl);
            if (l == layers - 1 && !outputBias) {
                for (double v : bl) {
                    if (v != 0.0) {
                        throw new PolicyFormatException("biases[" + l + "]", "output bias is off but values are non-zero");
                    }
                }
            }
        }
        int in = layerSizes[0];
        int out = layerSizes[layers];
        if (obsMean == null || obsMean.length != in) {
            throw new PolicyFormatException("obs_mean", "must have " + in + " entries");
        }
        if (obsStd == null || obsStd.length != in) {
            throw new PolicyFormatException("obs_std", "must have " + in + " entries");
        }
        requireFinite("obs_mean", obsMean);
        requireFinite("obs_std", obsStd);
        for (int i = 0; i < in; i++) {
            if (!(obsStd[i] > 0)) {
                throw new PolicyFormatException("obs_std[" + i + "]", "must be > 0, was " + obsStd[i]);
            }
        }
        if (!(obsClip > 0) || Double.isInfinite(obsClip)) {
            throw new PolicyFormatException("obs_clip", "must be a positive finite number, was " + obsClip);
        }
        if (actionScale == null || actionScale.length != out) {
            throw new PolicyFormatException("action_scale", "must have " + out + " entries");
        }
        if (actionOffset == null || actionOffset.length != out) {
            throw new PolicyFormatException("action_offset", "must have " + out + " entries");
        }
        requireFinite("action_scale", actionScale);
        requireFinite("action_offset", actionOffset);
        if (controlPeriodNs <= 0) {
            throw new PolicyFormatException("control_period_ns", "must be > 0, was " + controlPeriodNs);
        }
        requireText("robot", robot);
        requireText("stack", stack);
        requireText("task", task);
        if (version < 0) {
            throw new PolicyFormatException("version", "must be >= 0, was " + version);
        }
        return this;
    }

    private static void requireFinite(String field, double[] v) throws PolicyFormatException {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new PolicyFormatException(field + "[" + i + "]", "must be finite, was " + v[i]);
            }
        }
    }

    private static void requireText(String field, String v) throws PolicyFormatException {
        if (v == null || v.isBlank()) {
            throw new PolicyFormatException(field, "missing");
        }
    }

    /** Mutable builder; {@link #build()} validates. Arrays are taken as given (not copied). */
    public static final class Builder {
        public StructureKind structure = StructureKind.CHROMATIC;
        public int[] layerSizes;
        public Activation[] activations;
        public int colorCount;
        public int[][] edgeColors;
        public double[] sharedWeights;
        public double[][] biases;
        public boolean outputBias;
        public double[] obsMean;
        public double[] obsStd;
        public double obsClip = 5.0;
        public double[] actionScale;
        public double[] actionOffset;
        public long controlPeriodNs = 10_000_000L;
        public String robot = "none";
        public String stack = "plain";
        public String task = "none";
        public long version;
        public Map<String, String> metadata = new TreeMap<>();

        /** Identity normalisation (mean 0, std 1) and identity action scaling for the set sizes. */
        public Builder identityScaling() {
            int in = layerSizes[0];
            int out = layerSizes[layerSizes.length - 1];
            obsMean = new double[in];
            obsStd = new double[in];
            java.util.Arrays.fill(obsStd, 1.0);
            actionScale = new double[out];
            java.util.Arrays.fill(actionScale, 1.0);
            actionOffset = new double[out];
            return this;
        }

        public Policy build() throws PolicyFormatException {
            return new Policy(this).validate();
        }
    }
}
