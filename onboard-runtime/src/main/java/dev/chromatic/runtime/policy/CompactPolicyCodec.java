package dev.chromatic.runtime.policy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact payload of a policy file (format 2): the policy's numbers as float32, its edge colors
 * as a mixed-radix number (or not at all when the structure fixes them), no metadata. A fixed
 * little-endian layout, every length derived from the fields before it:
 * <pre>
 * structure      u8       0 chromatic, 1 Toeplitz, 2 circulant, 3 unstructured, 4 masked
 * flags          u8       bit 0 output_bias; bits 1-4: obs_mean, obs_std, action_scale, action_offset
 *                         hold one value for every entry; bits 5-7 zero
 * layer_count    u8       L, 1..16
 * layer_sizes    varint   L + 1 of them, each 1..4096
 * activations    bits     ceil(L / 8) bytes, bit l = 1 for tanh, 0 for linear; padding zero
 * color_count    varint   M, 1..2^20
 * coloring       u8       0 codes in radix M, 1 codes in radix M + 1 (code M = pruned),
 *                         2 the structure's own pattern (Toeplitz, circulant, unstructured),
 *                         3 the unstructured pattern with a keep mask (masked)
 * edge_colors             coloring 0/1: groups of k codes (k from the radix, see groupDigits) as
 *                         sum code_i * R^i in bitLength(R^k - 1) bits, LSB first, the last group
 *                         shorter; coloring 2: nothing; coloring 3: one bit per edge, 1 = kept;
 *                         padding zero
 * shared_weights f32 * M
 * biases         f32      hidden layers', then the output layer's when output_bias
 * obs_mean       f32      d0 of them, or 1 when its flag is set; the same for obs_std
 * obs_clip       f32
 * action_scale   f32      dL of them, or 1 when its flag is set; the same for action_offset
 * control_period_ns varint
 * robot, stack, task      varint byte length (at most 4096) + UTF-8
 * </pre>
 * A varint is unsigned LEB128 in its shortest form. Edges run through the layers in order, each
 * row-major {@code [out][in]}, as in {@link Policy#edgeColors(int)}. Decoding treats the bytes as
 * hostile: every length is checked against the bytes left before anything is allocated, every
 * number and code is validated, and every failure is a {@link PolicyFormatException} naming the
 * field. Only a policy whose numbers are all float32 values can be encoded: {@link #toFloat32}
 * makes one, and the compact file then loads to exactly the same numbers as a full file of it.
 */
public final class CompactPolicyCodec {

    static final int CODED = 0;
    static final int CODED_PRUNED = 1;
    static final int PATTERN = 2;
    static final int PATTERN_MASK = 3;

    private static final int FLAG_OUTPUT_BIAS = 1;
    private static final int FLAG_ONE_OBS_MEAN = 1 << 1;
    private static final int FLAG_ONE_OBS_STD = 1 << 2;
    private static final int FLAG_ONE_ACTION_SCALE = 1 << 3;
    private static final int FLAG_ONE_ACTION_OFFSET = 1 << 4;
    private static final int KNOWN_FLAGS = 0x1F;
    private static final int MAX_DIM = 4096;
    private static final int MAX_COLORS = 1 << 20;

    private CompactPolicyCodec() {
    }

    /** Codes in one group for radix {@code r >= 2}: the group size with the fewest bits per code whose group fits 62 bits. */
    public static int groupDigits(int radix) {
        int best = 1;
        int bestBits = bitLength(radix - 1L);
        long pow = radix;
        for (int k = 2; pow <= (1L << 62) / radix; k++) {
            pow *= radix;
            int bits = bitLength(pow - 1);
            if ((long) bits * best < (long) bestBits * k) {
                best = k;
                bestBits = bits;
            }
        }
        return best;
    }

    /** Bits of {@code edges} codes in radix {@code radix}, grouped as {@link #groupDigits} says. */
    public static long codedBits(long edges, int radix) {
        if (radix <= 1) {
            return 0;
        }
        int k = groupDigits(radix);
        return edges / k * bitLength(power(radix, k) - 1) + bitLength(power(radix, (int) (edges % k)) - 1);
    }

    /**
     * {@code p} with every number rounded to the nearest float32 (weights, biases, normalisation,
     * clip, action scaling); everything else unchanged. Idempotent.
     *
     * @throws PolicyFormatException naming a number that float32 cannot hold (overflow, or a
     *         standard deviation or clip that would round to zero)
     */
    public static Policy toFloat32(Policy p) throws PolicyFormatException {
        Policy.Builder b = p.toBuilder();
        b.sharedWeights = rounded("shared_weights", b.sharedWeights);
        for (int l = 0; l < b.biases.length; l++) {
            b.biases[l] = rounded("biases[" + l + "]", b.biases[l]);
        }
        b.obsMean = rounded("obs_mean", b.obsMean);
        b.obsStd = rounded("obs_std", b.obsStd);
        for (int i = 0; i < b.obsStd.length; i++) {
            if (!(b.obsStd[i] > 0)) {
                throw new PolicyFormatException("obs_std[" + i + "]", p.obsStd()[i] + " rounds to 0 as a float32");
            }
        }
        float clip = (float) b.obsClip;
        if (!Float.isFinite(clip)) {
            throw new PolicyFormatException("obs_clip", b.obsClip + " is outside the float32 range");
        }
        b.obsClip = clip;
        if (!(b.obsClip > 0)) {
            throw new PolicyFormatException("obs_clip", p.obsClip() + " rounds to 0 as a float32");
        }
        b.actionScale = rounded("action_scale", b.actionScale);
        b.actionOffset = rounded("action_offset", b.actionOffset);
        return b.build();
    }

    /** Whether every number of {@code p} is a float32 value (so {@link #encode} takes it as it is). */
    public static boolean holdsFloat32(Policy p) {
        try {
            checkFloat32(p);
            return true;
        } catch (PolicyFormatException e) {
            return false;
        }
    }

    /**
     * The compact payload of a (validated) policy; its metadata is not part of it.
     *
     * @throws PolicyFormatException naming the first number that is not a float32 value (see
     *         {@link #toFloat32}) or a text longer than {@link PolicyCodec#MAX_TEXT_BYTES}
     */
    public static byte[] encode(Policy p) throws PolicyFormatException {
        checkFloat32(p);
        int layers = p.layerCount();
        int[] dims = p.layerSizes();
        Out out = new Out();
        out.u8(p.structure().ordinal());
        int flags = p.outputBias() ? FLAG_OUTPUT_BIAS : 0;
        flags |= allSame(p.obsMean()) ? FLAG_ONE_OBS_MEAN : 0;
        flags |= allSame(p.obsStd()) ? FLAG_ONE_OBS_STD : 0;
        flags |= allSame(p.actionScale()) ? FLAG_ONE_ACTION_SCALE : 0;
        flags |= allSame(p.actionOffset()) ? FLAG_ONE_ACTION_OFFSET : 0;
        out.u8(flags);
        out.u8(layers);
        for (int d : dims) {
            out.varint(d);
        }
        byte[] acts = new byte[(layers + 7) / 8];
        for (int l = 0; l < layers; l++) {
            if (p.activation(l) == Activation.TANH) {
                acts[l >>> 3] |= (byte) (1 << (l & 7));
            }
        }
        out.bytes(acts);
        out.varint(p.colorCount());
        int coloring = coloringOf(p);
        out.u8(coloring);
        out.bytes(encodeColors(p, coloring));
        out.floats(p.sharedWeights(), false);
        for (int l = 0; l < layers; l++) {
            if (l < layers - 1 || p.outputBias()) {
                out.floats(p.biases(l), false);
            }
        }
        out.floats(p.obsMean(), (flags & FLAG_ONE_OBS_MEAN) != 0);
        out.floats(p.obsStd(), (flags & FLAG_ONE_OBS_STD) != 0);
        out.floats(new double[] {p.obsClip()}, false);
        out.floats(p.actionScale(), (flags & FLAG_ONE_ACTION_SCALE) != 0);
        out.floats(p.actionOffset(), (flags & FLAG_ONE_ACTION_OFFSET) != 0);
        out.varint(p.controlPeriodNs());
        out.text("robot", p.robot());
        out.text("stack", p.stack());
        out.text("task", p.task());
        return out.toArray();
    }

    /** Parses and validates a compact payload; the policy has no metadata and version 0. */
    public static Policy decode(byte[] payload) throws PolicyFormatException {
        if (payload == null) {
            throw new PolicyFormatException("payload", "missing");
        }
        In in = new In(payload);
        Policy.Builder b = Policy.builder();
        int structure = in.u8("structure");
        if (structure >= StructureKind.values().length) {
            throw new PolicyFormatException("structure", "unknown value " + structure);
        }
        b.structure = StructureKind.values()[structure];
        int flags = in.u8("flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new PolicyFormatException("flags", "unknown flag bits 0x" + Integer.toHexString(flags));
        }
        b.outputBias = (flags & FLAG_OUTPUT_BIAS) != 0;
        int layers = in.u8("layer_count");
        if (layers < 1 || layers > PolicyCodec.MAX_LAYERS) {
            throw new PolicyFormatException("layer_count", "must be in 1.." + PolicyCodec.MAX_LAYERS + ", was " + layers);
        }
        int[] dims = new int[layers + 1];
        long edges = 0;
        for (int l = 0; l <= layers; l++) {
            dims[l] = (int) in.varint("layer_sizes[" + l + "]", 1, MAX_DIM);
            if (l > 0) {
                edges += (long) dims[l - 1] * dims[l];
            }
        }
        if (edges > PolicyCodec.MAX_EDGES) {
            throw new PolicyFormatException("layer_sizes", edges + " edges exceed the cap of " + PolicyCodec.MAX_EDGES);
        }
        b.layerSizes = dims;
        byte[] acts = in.bytes("activations", (layers + 7) / 8);
        b.activations = new Activation[layers];
        for (int l = 0; l < layers; l++) {
            b.activations[l] = ((acts[l >>> 3] >>> (l & 7)) & 1) != 0 ? Activation.TANH : Activation.LINEAR;
        }
        if ((acts[acts.length - 1] & 0xFF) >>> (((layers - 1) & 7) + 1) != 0) {
            throw new PolicyFormatException("activations", "padding bits after the last layer must be zero");
        }
        int m = (int) in.varint("color_count", 1, MAX_COLORS);
        b.colorCount = m;
        int coloring = in.u8("coloring");
        long colorBytes = colorBytes(coloring, b.structure, dims, edges, m);
        int biasCount = 0;
        for (int l = 0; l < layers; l++) {
            if (l < layers - 1 || b.outputBias) {
                biasCount += dims[l + 1];
            }
        }
        int in0 = dims[0];
        int out = dims[layers];
        int obsMeanCount = (flags & FLAG_ONE_OBS_MEAN) != 0 ? 1 : in0;
        int obsStdCount = (flags & FLAG_ONE_OBS_STD) != 0 ? 1 : in0;
        int scaleCount = (flags & FLAG_ONE_ACTION_SCALE) != 0 ? 1 : out;
        int offsetCount = (flags & FLAG_ONE_ACTION_OFFSET) != 0 ? 1 : out;
        long numbers = (long) m + biasCount + obsMeanCount + obsStdCount + 1 + scaleCount + offsetCount;
        // the period and three texts take at least one byte each
        long needed = colorBytes + 4 * numbers + 4;
        if (needed > in.remaining()) {
            throw new PolicyFormatException("payload", "has " + in.remaining() + " bytes after the coloring byte, the header needs at least "
                    + needed + " (" + colorBytes + " of edge colors, " + numbers + " float32 numbers)");
        }
        b.edgeColors = decodeColors(in, coloring, b.structure, dims, m, colorBytes);
        b.sharedWeights = in.floats("shared_weights", m, m);
        double[] allBiases = in.floats("biases", biasCount, biasCount);
        b.biases = new double[layers][];
        int k = 0;
        for (int l = 0; l < layers; l++) {
            b.biases[l] = new double[dims[l + 1]];
            if (l < layers - 1 || b.outputBias) {
                System.arraycopy(allBiases, k, b.biases[l], 0, dims[l + 1]);
                k += dims[l + 1];
            }
        }
        b.obsMean = in.floats("obs_mean", obsMeanCount, in0);
        b.obsStd = in.floats("obs_std", obsStdCount, in0);
        b.obsClip = in.floats("obs_clip", 1, 1)[0];
        b.actionScale = in.floats("action_scale", scaleCount, out);
        b.actionOffset = in.floats("action_offset", offsetCount, out);
        b.controlPeriodNs = in.varint("control_period_ns", 1, Long.MAX_VALUE);
        b.robot = in.text("robot");
        b.stack = in.text("stack");
        b.task = in.text("task");
        if (in.remaining() != 0) {
            throw new PolicyFormatException("payload", in.remaining() + " bytes after the last field");
        }
        return b.build();
    }

    /** Bytes the edge colors of {@code p} take in its compact payload. */
    public static int colorBytes(Policy p) {
        try {
            return (int) colorBytes(coloringOf(p), p.structure(), p.layerSizes(), p.edgeCount(), p.colorCount());
        } catch (PolicyFormatException e) {
            throw new IllegalStateException("the encoder's own coloring is always readable", e);
        }
    }

    /** A short description of how {@code p}'s colors are stored, e.g. {@code "radix 17, 11 codes per 45 bits"}. */
    public static String describeColoring(Policy p) {
        int coloring = coloringOf(p);
        if (coloring == PATTERN) {
            return "none stored: the " + p.structure().name().toLowerCase(java.util.Locale.ROOT) + " pattern";
        }
        if (coloring == PATTERN_MASK) {
            return "keep mask, 1 bit per edge";
        }
        int radix = p.colorCount() + (coloring == CODED_PRUNED ? 1 : 0);
        if (radix <= 1) {
            return "none stored: one color";
        }
        int k = groupDigits(radix);
        return String.format(java.util.Locale.ROOT, "radix %d, %d codes per %d bits (%.3f bits per edge)", radix, k,
                bitLength(power(radix, k) - 1), codedBits(p.edgeCount(), radix) / (double) p.edgeCount());
    }

    // ---- colors ----

    private static int coloringOf(Policy p) {
        StructureKind kind = p.structure();
        int[] dims = p.layerSizes();
        boolean pruned = false;
        for (int l = 0; l < p.layerCount() && !pruned; l++) {
            for (int c : p.edgeColors(l)) {
                if (c == Policy.PRUNED) {
                    pruned = true;
                    break;
                }
            }
        }
        if (kind == StructureKind.TOEPLITZ || kind == StructureKind.CIRCULANT || kind == StructureKind.UNSTRUCTURED) {
            if (p.colorCount() == PolicyStructures.poolSize(kind, dims, 0)
                    && Arrays.deepEquals(edgeColors(p), PolicyStructures.coloring(kind, dims, 0, 0))) {
                return PATTERN;
            }
        } else if (kind == StructureKind.MASKED && p.colorCount() == PolicyStructures.poolSize(StructureKind.UNSTRUCTURED, dims, 0)) {
            int[][] full = PolicyStructures.unstructured(dims);
            boolean masked = true;
            for (int l = 0; l < p.layerCount() && masked; l++) {
                int[] c = p.edgeColors(l);
                for (int e = 0; e < c.length; e++) {
                    if (c[e] != Policy.PRUNED && c[e] != full[l][e]) {
                        masked = false;
                        break;
                    }
                }
            }
            if (masked) {
                return PATTERN_MASK;
            }
        }
        return pruned ? CODED_PRUNED : CODED;
    }

    private static int[][] edgeColors(Policy p) {
        int[][] c = new int[p.layerCount()][];
        for (int l = 0; l < c.length; l++) {
            c[l] = p.edgeColors(l);
        }
        return c;
    }

    private static long colorBytes(int coloring, StructureKind kind, int[] dims, long edges, int m) throws PolicyFormatException {
        switch (coloring) {
            case CODED:
                return (codedBits(edges, m) + 7) / 8;
            case CODED_PRUNED:
                return (codedBits(edges, m + 1) + 7) / 8;
            case PATTERN:
                if (kind != StructureKind.TOEPLITZ && kind != StructureKind.CIRCULANT && kind != StructureKind.UNSTRUCTURED) {
                    throw new PolicyFormatException("coloring", "a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                            + " policy has no fixed pattern");
                }
                requirePool(kind, dims, m);
                return 0;
            case PATTERN_MASK:
                if (kind != StructureKind.MASKED) {
                    throw new PolicyFormatException("coloring", "a keep mask needs a masked policy");
                }
                requirePool(StructureKind.UNSTRUCTURED, dims, m);
                return (edges + 7) / 8;
            default:
                throw new PolicyFormatException("coloring", "unknown value " + coloring);
        }
    }

    private static void requirePool(StructureKind kind, int[] dims, int m) throws PolicyFormatException {
        long pool = 0;
        for (int l = 0; l + 1 < dims.length; l++) {
            int b = dims[l];
            int a = dims[l + 1];
            pool += kind == StructureKind.TOEPLITZ ? a + b - 1 : kind == StructureKind.CIRCULANT ? Math.max(a, b) : (long) a * b;
        }
        if (pool != m) {
            throw new PolicyFormatException("color_count", "the " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " pattern of these layer sizes has " + pool + " colors, not " + m);
        }
    }

    private static byte[] encodeColors(Policy p, int coloring) {
        long edges = p.edgeCount();
        int m = p.colorCount();
        if (coloring == PATTERN) {
            return new byte[0];
        }
        if (coloring == PATTERN_MASK) {
            byte[] mask = new byte[(int) ((edges + 7) / 8)];
            long e = 0;
            for (int l = 0; l < p.layerCount(); l++) {
                for (int c : p.edgeColors(l)) {
                    if (c != Policy.PRUNED) {
                        mask[(int) (e >>> 3)] |= (byte) (1 << (e & 7));
                    }
                    e++;
                }
            }
            return mask;
        }
        int radix = m + (coloring == CODED_PRUNED ? 1 : 0);
        Bits bits = new Bits(new byte[(int) ((codedBits(edges, radix) + 7) / 8)]);
        if (radix <= 1) {
            return bits.bytes;
        }
        int k = groupDigits(radix);
        int[] codes = new int[(int) edges];
        int at = 0;
        for (int l = 0; l < p.layerCount(); l++) {
            for (int c : p.edgeColors(l)) {
                codes[at++] = c == Policy.PRUNED ? m : c;
            }
        }
        for (int start = 0; start < codes.length; start += k) {
            int n = Math.min(k, codes.length - start);
            long value = 0;
            for (int i = n - 1; i >= 0; i--) {
                value = value * radix + codes[start + i];
            }
            bits.write(value, bitLength(power(radix, n) - 1));
        }
        return bits.bytes;
    }

    private static int[][] decodeColors(In in, int coloring, StructureKind kind, int[] dims, int m, long colorBytes)
            throws PolicyFormatException {
        Bits bits = new Bits(in.bytes("edge_colors", (int) colorBytes));
        if (coloring == PATTERN) {
            return PolicyStructures.coloring(kind, dims, 0, 0);
        }
        int[][] colors = coloring == PATTERN_MASK ? PolicyStructures.unstructured(dims) : new int[dims.length - 1][];
        if (coloring == PATTERN_MASK) {
            for (int[] layer : colors) {
                for (int e = 0; e < layer.length; e++) {
                    if (bits.read(1) == 0) {
                        layer[e] = Policy.PRUNED;
                    }
                }
            }
            bits.requireZeroPadding();
            return colors;
        }
        for (int l = 0; l < colors.length; l++) {
            colors[l] = new int[dims[l] * dims[l + 1]];
        }
        int radix = m + (coloring == CODED_PRUNED ? 1 : 0);
        if (radix <= 1) {
            return colors;
        }
        int k = groupDigits(radix);
        int layer = 0;
        int edge = 0;
        long edges = 0;
        for (int l = 0; l < colors.length; l++) {
            edges += colors[l].length;
        }
        for (long start = 0; start < edges; start += k) {
            int n = (int) Math.min(k, edges - start);
            long limit = power(radix, n);
            long value = bits.read(bitLength(limit - 1));
            if (value >= limit) {
                throw new PolicyFormatException("edge_colors[" + layer + "][" + edge + "]", "a group of " + n + " codes holds "
                        + value + ", more than " + radix + "^" + n + " - 1");
            }
            for (int i = 0; i < n; i++) {
                int code = (int) (value % radix);
                value /= radix;
                colors[layer][edge] = code == m ? Policy.PRUNED : code;
                if (++edge == colors[layer].length) {
                    layer++;
                    edge = 0;
                }
            }
        }
        bits.requireZeroPadding();
        return colors;
    }

    // ---- numbers ----

    private static void checkFloat32(Policy p) throws PolicyFormatException {
        requireFloat32("shared_weights", p.sharedWeights());
        for (int l = 0; l < p.layerCount(); l++) {
            requireFloat32("biases[" + l + "]", p.biases(l));
        }
        requireFloat32("obs_mean", p.obsMean());
        requireFloat32("obs_std", p.obsStd());
        requireFloat32("obs_clip", new double[] {p.obsClip()});
        requireFloat32("action_scale", p.actionScale());
        requireFloat32("action_offset", p.actionOffset());
    }

    private static void requireFloat32(String field, double[] v) throws PolicyFormatException {
        for (int i = 0; i < v.length; i++) {
            if ((double) (float) v[i] != v[i]) {
                throw new PolicyFormatException(v.length == 1 && field.equals("obs_clip") ? field : field + "[" + i + "]",
                        v[i] + " is not a float32 value (round the policy with CompactPolicyCodec.toFloat32 first)");
            }
        }
    }

    private static double[] rounded(String field, double[] v) throws PolicyFormatException {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            float f = (float) v[i];
            if (!Float.isFinite(f)) {
                throw new PolicyFormatException(field + "[" + i + "]", v[i] + " is outside the float32 range");
            }
            r[i] = f;
        }
        return r;
    }

    private static boolean allSame(double[] v) {
        if (v.length < 2) {
            return false;
        }
        long first = Double.doubleToRawLongBits(v[0]);
        for (double x : v) {
            if (Double.doubleToRawLongBits(x) != first) {
                return false;
            }
        }
        return true;
    }

    static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** {@code radix^n}; callers keep it within 2^62 (n at most {@link #groupDigits}). */
    static long power(int radix, int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= radix;
        }
        return p;
    }

    // ---- byte and bit cursors ----

    /** A growable little-endian writer. */
    private static final class Out {
        private byte[] buf = new byte[256];
        private int size;

        void u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                u8((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            u8((int) v);
        }

        void floats(double[] v, boolean once) {
            int n = once ? 1 : v.length;
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits((float) v[i]);
                u8(bits);
                u8(bits >>> 8);
                u8(bits >>> 16);
                u8(bits >>> 24);
            }
        }

        void text(String field, String s) throws PolicyFormatException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > PolicyCodec.MAX_TEXT_BYTES) {
                throw new PolicyFormatException(field, "longer than " + PolicyCodec.MAX_TEXT_BYTES + " bytes");
            }
            varint(b.length);
            bytes(b);
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** A bounded reader over the payload: every read names its field when the bytes run out. */
    private static final class In {
        private final byte[] buf;
        private int at;

        In(byte[] buf) {
            this.buf = buf;
        }

        int remaining() {
            return buf.length - at;
        }

        int u8(String field) throws PolicyFormatException {
            if (at >= buf.length) {
                throw new PolicyFormatException(field, "missing (the payload ends before it)");
            }
            return buf[at++] & 0xFF;
        }

        byte[] bytes(String field, int n) throws PolicyFormatException {
            if (n > remaining()) {
                throw new PolicyFormatException(field, "needs " + n + " bytes, the payload has " + remaining() + " left");
            }
            byte[] b = Arrays.copyOfRange(buf, at, at + n);
            at += n;
            return b;
        }

        long varint(String field, long min, long max) throws PolicyFormatException {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = u8(field);
                if (shift == 63 && (b & 0xFE) != 0) {
                    throw new PolicyFormatException(field, "varint longer than 64 bits");
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw new PolicyFormatException(field, "varint not in its shortest form");
                    }
                    break;
                }
            }
            if (v < min || v > max) {
                throw new PolicyFormatException(field, "must be in " + min + ".." + max + ", was " + Long.toUnsignedString(v));
            }
            return v;
        }

        /** {@code count} float32 values (1 stands for all {@code expected}), each finite. */
        double[] floats(String field, int count, int expected) throws PolicyFormatException {
            if (4L * count > remaining()) {
                throw new PolicyFormatException(field, "needs " + 4L * count + " bytes, the payload has " + remaining() + " left");
            }
            double[] out = new double[expected];
            for (int i = 0; i < count; i++) {
                int bits = (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16 | (buf[at + 3] & 0xFF) << 24;
                at += 4;
                float f = Float.intBitsToFloat(bits);
                String name = expected == 1 && field.equals("obs_clip") ? field : field + "[" + i + "]";
                if (!Float.isFinite(f)) {
                    throw new PolicyFormatException(name, "must be finite, was " + f);
                }
                out[i] = f;
            }
            if (count == 1 && expected > 1) {
                Arrays.fill(out, out[0]);
            }
            return out;
        }

        String text(String field) throws PolicyFormatException {
            int n = (int) varint(field, 0, PolicyCodec.MAX_TEXT_BYTES);
            byte[] b = bytes(field, n);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new PolicyFormatException(field, "not valid UTF-8");
            }
        }
    }

    /** LSB-first bits over a byte array. */
    private static final class Bits {
        final byte[] bytes;
        private long bit;

        Bits(byte[] bytes) {
            this.bytes = bytes;
        }

        void write(long value, int n) {
            for (int i = 0; i < n; i++, bit++) {
                if (((value >>> i) & 1) != 0) {
                    bytes[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }

        long read(int n) {
            long v = 0;
            for (int i = 0; i < n; i++, bit++) {
                v |= (long) ((bytes[(int) (bit >>> 3)] >>> (bit & 7)) & 1) << i;
            }
            return v;
        }

        void requireZeroPadding() throws PolicyFormatException {
            for (; bit < 8L * bytes.length; bit++) {
                if (((bytes[(int) (bit >>> 3)] >>> (bit & 7)) & 1) != 0) {
                    throw new PolicyFormatException("edge_colors", "padding bits after the last edge must be zero");
                }
            }
        }
    }
}
