package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.es.Rng;

/**
 * A fixed weight-tying pattern per matrix (paper, Appendix D), each matrix with its own slice of
 * the pool. For a matrix with {@code a} outputs (rows i) and {@code b} inputs (columns j):
 * unstructured {@code i*b + j} (ab weights), Toeplitz {@code i - j + b - 1} (a+b-1, constant
 * diagonals), circulant {@code (i - j) mod n} with {@code n = max(a, b)} (an n x n circulant,
 * truncated). A fixed coloring given from outside (transfer, paper Appendix C) is also a tying.
 */
public final class TiedParameterization extends LayoutParameterization {

    private final StructureKind kind;
    private final int[][] colors;
    private final int pool;

    private TiedParameterization(Layout layout, StructureKind kind, int[][] colors, int pool) {
        super(layout);
        this.kind = kind;
        this.colors = colors;
        this.pool = pool;
    }

    /** Unstructured, Toeplitz or circulant tying of the given sizes. */
    public static TiedParameterization of(StructureKind kind, int[] sizes) {
        Layout layout = new Layout(sizes);
        int[][] colors = new int[layout.layers][];
        int base = 0;
        for (int l = 0; l < layout.layers; l++) {
            int b = sizes[l];
            int a = sizes[l + 1];
            int n = Math.max(a, b);
            colors[l] = new int[a * b];
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    int idx;
                    switch (kind) {
                        case UNSTRUCTURED:
                            idx = i * b + j;
                            break;
                        case TOEPLITZ:
                            idx = i - j + b - 1;
                            break;
                        case CIRCULANT:
                            idx = Math.floorMod(i - j, n);
                            break;
                        default:
                            throw new IllegalArgumentException("not a fixed tying: " + kind);
                    }
                    colors[l][i * b + j] = base + idx;
                }
            }
            base += kind == StructureKind.UNSTRUCTURED ? a * b : kind == StructureKind.TOEPLITZ ? a + b - 1 : n;
        }
        return new TiedParameterization(layout, kind, colors, base);
    }

    /** A given coloring of {@code colorCount} shared weights trained as it is (transfer). */
    public static TiedParameterization fixedColoring(int[] sizes, int[][] edgeColors, int colorCount) {
        Layout layout = new Layout(sizes);
        int[][] copy = new int[layout.layers][];
        for (int l = 0; l < layout.layers; l++) {
            if (edgeColors[l].length != sizes[l] * sizes[l + 1]) {
                throw new IllegalArgumentException("coloring of layer " + l + " does not match sizes");
            }
            copy[l] = edgeColors[l].clone();
        }
        return new TiedParameterization(layout, StructureKind.CHROMATIC, copy, colorCount);
    }

    @Override
    public StructureKind kind() {
        return kind;
    }



    @Override
    public int parameterCount() {
        return pool + layout.hiddenBiases;
    }

    @Override
    public int poolSize() {
        return pool;
    }


    @Override
    public boolean learnsPartition() {
        return false;
    }

    @Override
    public int colorCount() {
        return pool;
    }

    /** The fixed coloring of layer {@code l}. */
    public int[] colors(int l) {
        return colors[l].clone();
    }

    @Override
    public double[] initialTheta(long seed, double weightScale) {
        Rng rng = Rng.derive(seed, 21);
        double[] theta = new double[parameterCount()];
        for (int i = 0; i < pool; i++) {
            theta[i] = weightScale * rng.nextGaussian();
        }
        layout.initBiases(rng, theta, pool);
        return theta;
    }

    @Override
    public void apply(double[] theta, int[] partition, int[][] colorsOut, double[] weightsOut, double[][] biasesOut) {
        System.arraycopy(theta, 0, weightsOut, 0, pool);
        for (int l = 0; l < layout.layers; l++) {
            System.arraycopy(colors[l], 0, colorsOut[l], 0, colors[l].length);
        }
        layout.applyBiases(theta, pool, biasesOut);
    }

    @Override
    public int weightParams(double[] theta) {
        return pool;
    }
}
