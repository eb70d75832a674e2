package dev.chromatic.runtime.policy;

/**
 * The size figures the paper reports for a policy (Table 2 and Appendix D). Weight parameters are
 * the distinct weights the coloring uses; total parameters add the biases in use. Compression is
 * {@code 1 - total / (edges + biases)}, against an unstructured net of the same dims. The paper's
 * bits are {@code edges * ceil(log2 W) + 32 * (W + biases)} for chromatic and masked networks (the
 * partition dictionary plus float weights) and {@code 32 * (W + biases)} for the fixed Toeplitz,
 * circulant and unstructured patterns. The coloring entropy is {@code edges * H(p)}, with {@code p} the
 * empirical distribution of edge colors (pruned counted as one more symbol): the bits an entropy
 * coder would need for the dictionary. The entropy bound is the paper's bits with the dictionary at
 * its entropy: {@code edges * H(p) + 32 * (W + biases)} (chromatic and masked; the fixed patterns
 * need no dictionary, so their bound equals their paper bits).
 */
public record PolicyStats(int edges, int prunedEdges, int weightParams, int biasParams, int totalParams,
                          double compression, long paperBits, double entropyBits, double entropyBoundBits) {

    public static PolicyStats of(Policy p) {
        int edges = p.edgeCount();
        long[] counts = new long[p.colorCount() + 1];
        int pruned = 0;
        for (int l = 0; l < p.layerCount(); l++) {
            for (int c : p.edgeColors(l)) {
                if (c == Policy.PRUNED) {
                    pruned++;
                    counts[p.colorCount()]++;
                } else {
                    counts[c]++;
                }
            }
        }
        int used = 0;
        double entropy = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                if (c < p.colorCount()) {
                    used++;
                }
                double q = counts[c] / (double) edges;
                entropy -= q * (Math.log(q) / Math.log(2));
            }
        }
        int weights = p.structure() == StructureKind.MASKED ? used : p.colorCount();
        int biases = p.biasParamCount();
        int total = weights + biases;
        double compression = 1.0 - total / (double) (edges + biases);
        long bits = 32L * total;
        double bound = 32.0 * total;
        if (p.structure() == StructureKind.CHROMATIC || p.structure() == StructureKind.MASKED) {
            bits += (long) edges * PolicyCodec.bitsFor(weights);
            bound += edges * entropy;
        }
        return new PolicyStats(edges, pruned, weights, biases, total, compression, bits, edges * entropy, bound);
    }
}
