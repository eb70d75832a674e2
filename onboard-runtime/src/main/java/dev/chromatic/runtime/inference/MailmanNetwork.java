package dev.chromatic.runtime.inference;

import dev.chromatic.runtime.policy.Policy;
import java.util.Arrays;

/**
 * Fixed-point mailman evaluator (Liberty & Zucker 2009) for colored layers, with the M shared
 * weights as the alphabet. Per layer an operation-count model ({@link #costOf}) picks the cheapest
 * of three forms:
 * <ul>
 * <li>{@link Form#SEGMENTS} (block height k = 1): each row's edges sorted by color into segments;
 *   one flat pass forms a running {@code int} prefix sum of the gathered inputs, a segment's input
 *   sum is a difference of two prefixes (exact in two's complement since the true sum fits an
 *   {@code int}), then one multiply per segment: {@code y_i = sum_c w_c * (sum_{j: c(i,j)=c} x_j)}.</li>
 * <li>{@link Form#PRODUCT_TABLE} (transposed): {@code p[j][c] = x_j * w_c} for the colors the layer
 *   uses, then each row is a sum of table entries: no multiply per edge.</li>
 * <li>{@link Form#BLOCKS} (k ≥ 2): rows in blocks of k; column j of a block has the address
 *   {@code a_j = sum_r digit(r, j) * s^(k-1-r)}; {@code z[a_j] += x_j} ("mail"), then
 *   {@code U_k z} by folding: row r's result is {@code sum_d w_d * S_d} with {@code S_d} the sum of
 *   the d-th group of z, and z folds to {@code s^(k-1-r)} entries for the next row.</li>
 * </ul>
 * Integer sums are exact whatever their order, so every form is bit-identical to
 * {@link FixedPointNetwork}. Preallocated; never allocates after construction. Not thread-safe.
 */
public final class MailmanNetwork extends FixedPointEvaluator {

    /** The layer forms. */
    public enum Form {
        SEGMENTS, PRODUCT_TABLE, BLOCKS
    }

    /** A layer's chosen form, block height and modelled cost (abstract operations per inference). */
    public record LayerPlan(Form form, int k, double cost) {
        @Override
        public String toString() {
            return form == Form.BLOCKS ? "blocks(k=" + k + ")" : form == Form.SEGMENTS ? "segments(k=1)" : "product-table";
        }
    }

    /** Largest mailbox array of a block, {@code s^k}. */
    static final int MAX_MAILBOXES = 4096;

    private final Kernel[] kernels;
    private final LayerPlan[] plans;

    private MailmanNetwork(Policy policy, Form forced, int forcedK) {
        super(policy);
        kernels = new Kernel[layers];
        plans = new LayerPlan[layers];
        for (int l = 0; l < layers; l++) {
            int in = layerSizes[l];
            int out = layerSizes[l + 1];
            int[] colors = policy.edgeColors(l);
            LayerPlan plan = forced == null ? cheapest(colors, in, out) : new LayerPlan(forced, forcedK, costOf(forced, forcedK, colors, in, out));
            if (Double.isInfinite(plan.cost())) {
                throw new IllegalArgumentException("layer " + l + ": " + plan + " is not possible here (too many mailboxes)");
            }
            plans[l] = plan;
            switch (plan.form()) {
                case SEGMENTS:
                    kernels[l] = new SegmentKernel(colors, in, out, weightQ);
                    break;
                case PRODUCT_TABLE:
                    kernels[l] = new TableKernel(colors, in, out, weightQ);
                    break;
                default:
                    kernels[l] = new BlockKernel(colors, in, out, weightQ, plan.k());
            }
        }
    }

    /** The mailman evaluator with each layer's form chosen by the operation-count model. */
    public static MailmanNetwork of(Policy policy) {
        return new MailmanNetwork(policy, null, 0);
    }

    /** Every layer in {@code form} (block height {@code k} for {@link Form#BLOCKS}); for tests and benchmarks. */
    public static MailmanNetwork forced(Policy policy, Form form, int k) {
        if (form == Form.BLOCKS ? k < 2 : k != 1) {
            throw new IllegalArgumentException(form + " needs " + (form == Form.BLOCKS ? "k >= 2" : "k = 1"));
        }
        return new MailmanNetwork(policy, form, k);
    }

    /** The chosen plan of each layer. */
    public LayerPlan[] plans() {
        return plans.clone();
    }

    @Override
    protected void layer(int l, int[] x, int[] y) {
        kernels[l].run(x, y, biasQ[l], shift);
    }

    static LayerPlan cheapest(int[] colors, int in, int out) {
        LayerPlan best = new LayerPlan(Form.SEGMENTS, 1, costOf(Form.SEGMENTS, 1, colors, in, out));
        double table = costOf(Form.PRODUCT_TABLE, 1, colors, in, out);
        if (table < best.cost()) {
            best = new LayerPlan(Form.PRODUCT_TABLE, 1, table);
        }
        for (int k = 2; k <= out; k++) {
            double c = costOf(Form.BLOCKS, k, colors, in, out);
            if (Double.isInfinite(c)) {
                break;
            }
            if (c < best.cost()) {
                best = new LayerPlan(Form.BLOCKS, k, c);
            }
        }
        return best;
    }

    /**
     * Modelled operations of one layer: loads, adds and multiplies counted alike, a gathered load
     * counted twice. Segments: {@code 2E + 3S + 2m} (E kept edges, S segments, m rows). Product
     * table: {@code 2nu + 2E + 2m} (n inputs, u colors used). Blocks of k over an alphabet of s
     * symbols: {@code ceil(m/k) * (3n + s^k + 3 s^k s/(s-1) + 2ks)} (mail, clear, fold, multiply).
     */
    static double costOf(Form form, int k, int[] colors, int in, int out) {
        int kept = 0;
        int segments = 0;
        boolean pruned = false;
        boolean[] used = new boolean[maxColor(colors) + 1];
        boolean[] inRow = new boolean[used.length];
        for (int i = 0; i < out; i++) {
            Arrays.fill(inRow, false);
            for (int j = 0; j < in; j++) {
                int c = colors[i * in + j];
                if (c == Policy.PRUNED) {
                    pruned = true;
                    continue;
                }
                kept++;
                used[c] = true;
                if (!inRow[c]) {
                    inRow[c] = true;
                    segments++;
                }
            }
        }
        int u = 0;
        for (boolean b : used) {
            u += b ? 1 : 0;
        }
        switch (form) {
            case SEGMENTS:
                return 2.0 * kept + 3.0 * segments + 2.0 * out;
            case PRODUCT_TABLE:
                return 2.0 * in * u + 2.0 * kept + 2.0 * out;
            default:
                int s = Math.max(2, u + (pruned ? 1 : 0));
                double boxes = Math.pow(s, k);
                if (k < 2 || boxes > MAX_MAILBOXES) {
                    return Double.POSITIVE_INFINITY;
                }
                int blocks = (out + k - 1) / k;
                return blocks * (3.0 * in + boxes + 3.0 * boxes * s / (s - 1) + 2.0 * k * s);
        }
    }

    private static int maxColor(int[] colors) {
        int m = -1;
        for (int c : colors) {
            m = Math.max(m, c);
        }
        return m;
    }

    /** One layer's integer product {@code y = roundToQ(b + W x)}. */
    private abstract static class Kernel {
        abstract void run(int[] x, int[] y, long[] b, int shift);
    }

    /** k = 1: per-row color segments over a flat prefix sum. */
    private static final class SegmentKernel extends Kernel {
        private final int[] inputOf;
        private final int[] prefix;
        private final int[] segmentEnd;
        private final int[] segmentWeight;
        private final int[] rowEnd;

        SegmentKernel(int[] colors, int in, int out, int[] weightQ) {
            int kept = 0;
            int segments = 0;
            int[] order = new int[in];
            int[] keys = new int[in];
            int[][] rows = new int[out][];
            for (int i = 0; i < out; i++) {
                int n = 0;
                for (int j = 0; j < in; j++) {
                    if (colors[i * in + j] != Policy.PRUNED) {
                        order[n++] = j;
                    }
                }
                for (int t = 0; t < n; t++) {
                    keys[t] = colors[i * in + order[t]];
                }
                sortByKey(order, keys, n);
                rows[i] = Arrays.copyOf(order, n);
                kept += n;
                for (int t = 0; t < n; t++) {
                    if (t == 0 || colors[i * in + rows[i][t]] != colors[i * in + rows[i][t - 1]]) {
                        segments++;
                    }
                }
            }
            inputOf = new int[kept];
            prefix = new int[kept + 1];
            segmentEnd = new int[segments];
            segmentWeight = new int[segments];
            rowEnd = new int[out];
            int e = 0;
            int s = 0;
            for (int i = 0; i < out; i++) {
                int[] r = rows[i];
                for (int t = 0; t < r.length; t++) {
                    int c = colors[i * in + r[t]];
                    inputOf[e++] = r[t];
                    if (t + 1 == r.length || colors[i * in + r[t + 1]] != c) {
                        segmentEnd[s] = e;
                        segmentWeight[s] = weightQ[c];
                        s++;
                    }
                }
                rowEnd[i] = s;
            }
        }

        @Override
        void run(int[] x, int[] y, long[] b, int shift) {
            int[] idx = inputOf;
            int[] pre = prefix;
            int run = 0;
            // running sum wraps freely: only differences of it are used, and each true segment sum fits an int
            for (int e = 0; e < idx.length; e++) {
                run += x[idx[e]];
                pre[e + 1] = run;
            }
            int[] end = segmentEnd;
            int[] w = segmentWeight;
            int[] rows = rowEnd;
            int s = 0;
            int lo = 0;
            for (int i = 0; i < y.length; i++) {
                long acc = b[i];
                int last = rows[i];
                for (; s < last; s++) {
                    int hi = pre[end[s]];
                    acc += (long) w[s] * (hi - lo);
                    lo = hi;
                }
                y[i] = FixedPoint.roundToQ(acc, shift);
            }
        }
    }

    /** Transposed form: a product table {@code p[j][c] = x_j * w_c} summed along each row's edges. */
    private static final class TableKernel extends Kernel {
        private final int[] usedWeight;
        private final int width;
        private final long[] table;
        private final int[] entryOf;
        private final int[] rowEnd;

        TableKernel(int[] colors, int in, int out, int[] weightQ) {
            int[] slot = new int[weightQ.length];
            Arrays.fill(slot, -1);
            int u = 0;
            int kept = 0;
            for (int c : colors) {
                if (c != Policy.PRUNED) {
                    kept++;
                    if (slot[c] < 0) {
                        slot[c] = u++;
                    }
                }
            }
            width = Math.max(1, u);
            usedWeight = new int[width];
            for (int c = 0; c < slot.length; c++) {
                if (slot[c] >= 0) {
                    usedWeight[slot[c]] = weightQ[c];
                }
            }
            table = new long[in * width];
            entryOf = new int[kept];
            rowEnd = new int[out];
            int e = 0;
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    int c = colors[i * in + j];
                    if (c != Policy.PRUNED) {
                        entryOf[e++] = j * width + slot[c];
                    }
                }
                rowEnd[i] = e;
            }
        }

        @Override
        void run(int[] x, int[] y, long[] b, int shift) {
            long[] p = table;
            int[] w = usedWeight;
            int u = width;
            for (int j = 0, base = 0; j < x.length; j++, base += u) {
                long xj = x[j];
                for (int c = 0; c < u; c++) {
                    p[base + c] = xj * w[c];
                }
            }
            int[] entry = entryOf;
            int[] rows = rowEnd;
            int e = 0;
            for (int i = 0; i < y.length; i++) {
                long acc = b[i];
                int last = rows[i];
                for (; e < last; e++) {
                    acc += p[entry[e]];
                }
                y[i] = FixedPoint.roundToQ(acc, shift);
            }
        }
    }

    /** k ≥ 2: mail the inputs of a block of k rows into s^k boxes, then fold. */
    private static final class BlockKernel extends Kernel {
        private final int k;
        private final int symbols;
        private final int[] digitWeight;
        private final int[] address;
        private final int[] boxes;
        private final int[] groupSum;
        private final int[] power;

        BlockKernel(int[] colors, int in, int out, int[] weightQ, int k) {
            this.k = k;
            int[] digit = new int[weightQ.length];
            Arrays.fill(digit, -1);
            int u = 0;
            boolean pruned = false;
            for (int c : colors) {
                if (c == Policy.PRUNED) {
                    pruned = true;
                } else if (digit[c] < 0) {
                    digit[c] = u++;
                }
            }
            symbols = Math.max(2, u + (pruned ? 1 : 0));
            int prunedDigit = u;
            digitWeight = new int[symbols];
            for (int c = 0; c < digit.length; c++) {
                if (digit[c] >= 0) {
                    digitWeight[digit[c]] = weightQ[c];
                }
            }
            power = new int[k + 1];
            power[0] = 1;
            for (int r = 1; r <= k; r++) {
                power[r] = power[r - 1] * symbols;
            }
            boxes = new int[power[k]];
            groupSum = new int[symbols];
            int blocks = (out + k - 1) / k;
            address = new int[blocks * in];
            for (int blk = 0; blk < blocks; blk++) {
                for (int j = 0; j < in; j++) {
                    int a = 0;
                    for (int r = 0; r < k; r++) {
                        int i = blk * k + r;
                        int d = 0;
                        if (i < out) {
                            int c = colors[i * in + j];
                            d = c == Policy.PRUNED ? prunedDigit : digit[c];
                        }
                        a += d * power[k - 1 - r];
                    }
                    address[blk * in + j] = a;
                }
            }
        }

        @Override
        void run(int[] x, int[] y, long[] b, int shift) {
            int in = x.length;
            int[] z = boxes;
            int[] sums = groupSum;
            int[] w = digitWeight;
            int s = symbols;
            for (int r0 = 0, base = 0; r0 < y.length; r0 += k, base += in) {
                Arrays.fill(z, 0);
                for (int j = 0; j < in; j++) {
                    z[address[base + j]] += x[j];
                }
                int rows = Math.min(k, y.length - r0);
                for (int r = 0; r < rows; r++) {
                    int g = power[k - 1 - r];
                    Arrays.fill(sums, 0);
                    for (int t = 0; t < g; t++) {
                        int folded = 0;
                        for (int d = 0, at = t; d < s; d++, at += g) {
                            int v = z[at];
                            sums[d] += v;
                            folded += v;
                        }
                        z[t] = folded;
                    }
                    long acc = b[r0 + r];
                    for (int d = 0; d < s; d++) {
                        acc += (long) w[d] * sums[d];
                    }
                    y[r0 + r] = FixedPoint.roundToQ(acc, shift);
                }
            }
        }
    }

    /** Stable insertion sort of {@code order[0..n)} by {@code keys}; runs once per row at construction. */
    private static void sortByKey(int[] order, int[] keys, int n) {
        for (int a = 1; a < n; a++) {
            int o = order[a];
            int key = keys[a];
            int p = a - 1;
            while (p >= 0 && keys[p] > key) {
                order[p + 1] = order[p];
                keys[p + 1] = keys[p];
                p--;
            }
            order[p + 1] = o;
            keys[p + 1] = key;
        }
    }
}
