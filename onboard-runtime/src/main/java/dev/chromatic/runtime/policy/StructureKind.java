package dev.chromatic.runtime.policy;

/** How the weights of a colored network were tied when it was trained (paper, Table 2). */
public enum StructureKind {
    /** ES + ENAS learned partition of edges into M classes sharing one weight each. */
    CHROMATIC,
    /** Weights constant along diagonals: a + b - 1 per matrix. */
    TOEPLITZ,
    /** Circulant of size max(a, b), truncated. */
    CIRCULANT,
    /** Every edge its own weight. */
    UNSTRUCTURED,
    /** Unstructured weights with a learned pruning mask (Lenc et al. 2019). */
    MASKED
}
