package dev.chromatic.runtime.policy;

import java.util.SplittableRandom;

/**
 * Edge colorings of the structures of the paper's Table 2, for layer sizes {@code d0..dL}. Every
 * structure is a coloring into ONE pool of shared weights; a layer's colors start at the sum of the
 * color counts of the layers before it. Colorings are row-major {@code [out][in]} per layer, like
 * {@link Policy#edgeColors(int)}. For a layer of {@code a} outputs and {@code b} inputs:
 * Toeplitz uses {@code a+b-1} colors (constant along diagonals), circulant {@code max(a,b)}
 * (an {@code n x n} circulant truncated to {@code a x b}), unstructured {@code a*b}.
 */
public final class PolicyStructures {

    /** Fraction of edges {@link #randomMask} keeps. */
    public static final double DEFAULT_KEEP_FRACTION = 0.5;

    private PolicyStructures() {
    }

    /** The coloring of {@code kind}; {@code colors} is used by chromatic only, {@code seed} by chromatic and masked. */
    public static int[][] coloring(StructureKind kind, int[] dims, int colors, long seed) {
        checkDims(dims);
        switch (kind) {
            case CHROMATIC:
                return chromatic(dims, colors, new SplittableRandom(seed));
            case TOEPLITZ:
                return toeplitz(dims);
            case CIRCULANT:
                return circulant(dims);
            case UNSTRUCTURED:
                return unstructured(dims);
            case MASKED:
                return masked(dims, randomMask(dims, DEFAULT_KEEP_FRACTION, new SplittableRandom(seed)));
            default:
                throw new IllegalArgumentException("unknown structure " + kind);
        }
    }

    /** Every edge of every layer draws a color uniformly from {@code 0..colors-1}. */
    public static int[][] chromatic(int[] dims, int colors, SplittableRandom rng) {
        checkDims(dims);
        if (colors < 1) {
            throw new IllegalArgumentException("colors must be >= 1, was " + colors);
        }
        int[][] c = new int[dims.length - 1][];
        for (int l = 0; l < c.length; l++) {
            c[l] = new int[dims[l] * dims[l + 1]];
            for (int e = 0; e < c[l].length; e++) {
                c[l][e] = rng.nextInt(colors);
            }
        }
        return c;
    }

    /** {@code W[i][j] = t[i - j + b - 1]}: {@code a + b - 1} colors per layer. */
    public static int[][] toeplitz(int[] dims) {
        checkDims(dims);
        int[][] c = new int[dims.length - 1][];
        int offset = 0;
        for (int l = 0; l < c.length; l++) {
            int b = dims[l];
            int a = dims[l + 1];
            c[l] = new int[a * b];
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    c[l][i * b + j] = offset + i - j + b - 1;
                }
            }
            offset += a + b - 1;
        }
        return c;
    }

    /** {@code W[i][j] = c[(i - j) mod n]}, {@code n = max(a, b)}: {@code n} colors per layer. */
    public static int[][] circulant(int[] dims) {
        checkDims(dims);
        int[][] c = new int[dims.length - 1][];
        int offset = 0;
        for (int l = 0; l < c.length; l++) {
            int b = dims[l];
            int a = dims[l + 1];
            int n = Math.max(a, b);
            c[l] = new int[a * b];
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    c[l][i * b + j] = offset + Math.floorMod(i - j, n);
                }
            }
            offset += n;
        }
        return c;
    }

    /** Every edge its own color: {@code a * b} per layer. */
    public static int[][] unstructured(int[] dims) {
        checkDims(dims);
        int[][] c = new int[dims.length - 1][];
        int offset = 0;
        for (int l = 0; l < c.length; l++) {
            c[l] = new int[dims[l] * dims[l + 1]];
            for (int e = 0; e < c[l].length; e++) {
                c[l][e] = offset + e;
            }
            offset += c[l].length;
        }
        return c;
    }

    /**
     * The unstructured coloring with the edges where {@code keep[l][e]} is false set to
     * {@link Policy#PRUNED}. Kept edges keep their unstructured color, so a weight's index does not
     * change when the mask does (the pool stays {@code sum a*b} long).
     */
    public static int[][] masked(int[] dims, boolean[][] keep) {
        int[][] c = unstructured(dims);
        if (keep.length != c.length) {
            throw new IllegalArgumentException("mask must have " + c.length + " layers");
        }
        for (int l = 0; l < c.length; l++) {
            if (keep[l].length != c[l].length) {
                throw new IllegalArgumentException("mask layer " + l + " must have " + c[l].length + " entries");
            }
            for (int e = 0; e < c[l].length; e++) {
                if (!keep[l][e]) {
                    c[l][e] = Policy.PRUNED;
                }
            }
        }
        return c;
    }

    /** Keeps each edge independently with probability {@code keepFraction}. */
    public static boolean[][] randomMask(int[] dims, double keepFraction, SplittableRandom rng) {
        checkDims(dims);
        boolean[][] keep = new boolean[dims.length - 1][];
        for (int l = 0; l < keep.length; l++) {
            keep[l] = new boolean[dims[l] * dims[l + 1]];
            for (int e = 0; e < keep[l].length; e++) {
                keep[l][e] = rng.nextDouble() < keepFraction;
            }
        }
        return keep;
    }

    /** Size of the weight pool a coloring of {@code kind} needs for {@code dims}. */
    public static int poolSize(StructureKind kind, int[] dims, int colors) {
        checkDims(dims);
        long n = 0;
        for (int l = 0; l + 1 < dims.length; l++) {
            int b = dims[l];
            int a = dims[l + 1];
            switch (kind) {
                case CHROMATIC:
                    return colors;
                case TOEPLITZ:
                    n += a + b - 1;
                    break;
                case CIRCULANT:
                    n += Math.max(a, b);
                    break;
                default:
                    n += (long) a * b;
            }
        }
        return Math.toIntExact(n);
    }

    /** Number of distinct colors actually used (pruned edges excluded). */
    public static int usedColors(int[][] coloring, int poolSize) {
        boolean[] seen = new boolean[poolSize];
        int n = 0;
        for (int[] layer : coloring) {
            for (int c : layer) {
                if (c >= 0 && !seen[c]) {
                    seen[c] = true;
                    n++;
                }
            }
        }
        return n;
    }

    private static void checkDims(int[] dims) {
        if (dims == null || dims.length < 2) {
            throw new IllegalArgumentException("dims needs at least an input and an output size");
        }
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("every dim must be >= 1, was " + d);
            }
        }
    }
}
