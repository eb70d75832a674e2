package dev.chromatic.runtime.policy;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.chromatic.runtime.policy.fb.ActivationFb;
import dev.chromatic.runtime.policy.fb.MetaEntry;
import dev.chromatic.runtime.policy.fb.PolicyFb;
import dev.chromatic.runtime.policy.fb.StructureKindFb;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FlatBuffers payload of a policy file ({@code policy.fbs}). Decoding treats the bytes as
 * hostile: every vector is read through a bounded view, every length is checked before anything is
 * allocated, and the result is validated by {@link Policy#validate()}; any failure is a
 * {@link PolicyFormatException} naming the field, never a runtime exception or a partial policy.
 * Edge colors are packed at {@code ceil(log2(M + p))} bits per edge, {@code p = 1} when some edge is
 * pruned (code {@code M}), LSB first.
 */
public final class PolicyCodec {

    /** Largest number of layers a policy may have. */
    public static final int MAX_LAYERS = 16;
    /** Largest total number of edges a policy may have. */
    public static final long MAX_EDGES = 1L << 21;
    /** Longest text field (robot, stack, task, metadata key or value), in bytes. */
    public static final int MAX_TEXT_BYTES = 4096;
    /** Most metadata entries. */
    public static final int MAX_METADATA = 256;

    private PolicyCodec() {
    }

    /** The payload bytes of a (validated) policy; the policy version lives in the envelope, not here. */
    public static byte[] encode(Policy p) {
        FlatBufferBuilder fbb = new FlatBufferBuilder(1024);
        int layers = p.layerCount();
        long[] sizes = new long[layers + 1];
        for (int l = 0; l <= layers; l++) {
            sizes[l] = p.layerSizes()[l];
        }
        int layerSizes = PolicyFb.createLayerSizesVector(fbb, sizes);
        byte[] acts = new byte[layers];
        for (int l = 0; l < layers; l++) {
            acts[l] = p.activation(l) == Activation.TANH ? ActivationFb.Tanh : ActivationFb.Linear;
        }
        int activations = PolicyFb.createActivationsVector(fbb, acts);
        boolean pruned = false;
        for (int l = 0; l < layers && !pruned; l++) {
            for (int c : p.edgeColors(l)) {
                if (c == Policy.PRUNED) {
                    pruned = true;
                    break;
                }
            }
        }
        int bits = bitsFor(p.colorCount() + (pruned ? 1 : 0));
        int edgeColors = PolicyFb.createEdgeColorsVector(fbb, pack(p, bits));
        int weights = PolicyFb.createSharedWeightsVector(fbb, p.sharedWeights());
        int biasCount = p.biasParamCount();
        double[] allBiases = new double[biasCount];
        int k = 0;
        for (int l = 0; l < layers; l++) {
            if (l < layers - 1 || p.outputBias()) {
                double[] b = p.biases(l);
                System.arraycopy(b, 0, allBiases, k, b.length);
                k += b.length;
            }
        }
        int biases = PolicyFb.createBiasesVector(fbb, allBiases);
        int obsMean = PolicyFb.createObsMeanVector(fbb, p.obsMean());
        int obsStd = PolicyFb.createObsStdVector(fbb, p.obsStd());
        int actionScale = PolicyFb.createActionScaleVector(fbb, p.actionScale());
        int actionOffset = PolicyFb.createActionOffsetVector(fbb, p.actionOffset());
        int robot = fbb.createString(p.robot());
        int stack = fbb.createString(p.stack());
        int task = fbb.createString(p.task());
        int[] entries = new int[p.metadata().size()];
        int e = 0;
        for (Map.Entry<String, String> m : p.metadata().entrySet()) {
            int key = fbb.createString(m.getKey());
            int value = fbb.createString(m.getValue());
            entries[e++] = MetaEntry.createMetaEntry(fbb, key, value);
        }
        int metadata = PolicyFb.createMetadataVector(fbb, entries);

        PolicyFb.startPolicyFb(fbb);
        PolicyFb.addStructure(fbb, (byte) p.structure().ordinal());
        PolicyFb.addLayerSizes(fbb, layerSizes);
        PolicyFb.addActivations(fbb, activations);
        PolicyFb.addColorCount(fbb, p.colorCount());
        PolicyFb.addColorBits(fbb, bits);
        PolicyFb.addEdgeColors(fbb, edgeColors);
        PolicyFb.addSharedWeights(fbb, weights);
        PolicyFb.addBiases(fbb, biases);
        PolicyFb.addOutputBias(fbb, p.outputBias());
        PolicyFb.addObsMean(fbb, obsMean);
        PolicyFb.addObsStd(fbb, obsStd);
        PolicyFb.addObsClip(fbb, p.obsClip());
        PolicyFb.addActionScale(fbb, actionScale);
        PolicyFb.addActionOffset(fbb, actionOffset);
        PolicyFb.addControlPeriodNs(fbb, p.controlPeriodNs());
        PolicyFb.addRobot(fbb, robot);
        PolicyFb.addStack(fbb, stack);
        PolicyFb.addTask(fbb, task);
        PolicyFb.addMetadata(fbb, metadata);
        PolicyFb.finishPolicyFbBuffer(fbb, PolicyFb.endPolicyFb(fbb));
        return fbb.sizedByteArray();
    }

    /** Parses and validates a payload; the policy's version is 0 (the envelope carries it). */
    public static Policy decode(byte[] payload) throws PolicyFormatException {
        if (payload == null || payload.length < 8) {
            throw new PolicyFormatException("payload", "shorter than a FlatBuffers header");
        }
        try {
            return decodeUnchecked(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN));
        } catch (PolicyFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PolicyFormatException("payload", "malformed FlatBuffers data (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Policy decodeUnchecked(ByteBuffer bb) throws PolicyFormatException {
        if (!PolicyFb.PolicyFbBufferHasIdentifier(bb)) {
            throw new PolicyFormatException("payload", "missing file identifier CPOL");
        }
        PolicyFb fb = PolicyFb.getRootAsPolicyFb(bb);
        Policy.Builder b = Policy.builder();

        byte structure = fb.structure();
        if (structure < 0 || structure >= StructureKind.values().length) {
            throw new PolicyFormatException("structure", "unknown value " + structure);
        }
        b.structure = StructureKind.values()[structure];

        ByteBuffer sizes = view(fb.layerSizesAsByteBuffer(), fb.layerSizesLength(), 4, "layer_sizes");
        int layerCount = sizes.remaining() / 4 - 1;
        if (layerCount < 1 || layerCount > MAX_LAYERS) {
            throw new PolicyFormatException("layer_sizes", "must have 2.." + (MAX_LAYERS + 1) + " entries");
        }
        int[] dims = new int[layerCount + 1];
        long edges = 0;
        for (int l = 0; l <= layerCount; l++) {
            long d = sizes.getInt(4 * l) & 0xFFFFFFFFL;
            if (d < 1 || d > 4096) {
                throw new PolicyFormatException("layer_sizes[" + l + "]", "must be in 1..4096, was " + d);
            }
            dims[l] = (int) d;
            if (l > 0) {
                edges += (long) dims[l - 1] * dims[l];
            }
        }
        if (edges > MAX_EDGES) {
            throw new PolicyFormatException("layer_sizes", edges + " edges exceed the cap of " + MAX_EDGES);
        }
        b.layerSizes = dims;

        ByteBuffer acts = view(fb.activationsAsByteBuffer(), fb.activationsLength(), 1, "activations");
        if (acts.remaining() != layerCount) {
            throw new PolicyFormatException("activations", "must have " + layerCount + " entries");
        }
        b.activations = new Activation[layerCount];
        for (int l = 0; l < layerCount; l++) {
            byte a = acts.get(l);
            if (a == ActivationFb.Linear) {
                b.activations[l] = Activation.LINEAR;
            } else if (a == ActivationFb.Tanh) {
                b.activations[l] = Activation.TANH;
            } else {
                throw new PolicyFormatException("activations[" + l + "]", "unknown value " + a);
            }
        }

        long colorCount = fb.colorCount();
        if (colorCount < 1 || colorCount > (1 << 20)) {
            throw new PolicyFormatException("color_count", "must be in 1..2^20, was " + colorCount);
        }
        int m = (int) colorCount;
        b.colorCount = m;
        int bits = fb.colorBits();
        if (bits > 21) {
            throw new PolicyFormatException("color_bits", "must be <= 21, was " + bits);
        }
        ByteBuffer packed = view(fb.edgeColorsAsByteBuffer(), fb.edgeColorsLength(), 1, "edge_colors");
        long packedBytes = (edges * bits + 7) / 8;
        if (packed.remaining() != packedBytes) {
            throw new PolicyFormatException("edge_colors", "must have " + packedBytes + " bytes for " + edges
                    + " edges at " + bits + " bits, has " + packed.remaining());
        }
        b.edgeColors = unpack(packed, dims, bits, m);

        b.sharedWeights = doubles(fb.sharedWeightsAsByteBuffer(), fb.sharedWeightsLength(), "shared_weights", m);
        b.outputBias = fb.outputBias();
        int biasCount = 0;
        for (int l = 0; l < layerCount; l++) {
            if (l < layerCount - 1 || b.outputBias) {
                biasCount += dims[l + 1];
            }
        }
        double[] allBiases = doubles(fb.biasesAsByteBuffer(), fb.biasesLength(), "biases", biasCount);
        b.biases = new double[layerCount][];
        int k = 0;
        for (int l = 0; l < layerCount; l++) {
            b.biases[l] = new double[dims[l + 1]];
            if (l < layerCount - 1 || b.outputBias) {
                System.arraycopy(allBiases, k, b.biases[l], 0, dims[l + 1]);
                k += dims[l + 1];
            }
        }
        int in = dims[0];
        int out = dims[layerCount];
        b.obsMean = doubles(fb.obsMeanAsByteBuffer(), fb.obsMeanLength(), "obs_mean", in);
        b.obsStd = doubles(fb.obsStdAsByteBuffer(), fb.obsStdLength(), "obs_std", in);
        b.obsClip = fb.obsClip();
        b.actionScale = doubles(fb.actionScaleAsByteBuffer(), fb.actionScaleLength(), "action_scale", out);
        b.actionOffset = doubles(fb.actionOffsetAsByteBuffer(), fb.actionOffsetLength(), "action_offset", out);
        b.controlPeriodNs = fb.controlPeriodNs();
        b.robot = text(fb.robotAsByteBuffer(), "robot");
        b.stack = text(fb.stackAsByteBuffer(), "stack");
        b.task = text(fb.taskAsByteBuffer(), "task");

        int entries = fb.metadataLength();
        if (entries < 0 || entries > MAX_METADATA) {
            throw new PolicyFormatException("metadata", "must have 0.." + MAX_METADATA + " entries, has " + entries);
        }
        Map<String, String> metadata = new TreeMap<>();
        MetaEntry entry = new MetaEntry();
        for (int i = 0; i < entries; i++) {
            fb.metadata(entry, i);
            String key = text(entry.keyAsByteBuffer(), "metadata[" + i + "].key");
            String value = text(entry.valueAsByteBuffer(), "metadata[" + i + "].value");
            if (metadata.put(key, value) != null) {
                throw new PolicyFormatException("metadata[" + i + "].key", "duplicate key " + key);
            }
        }
        b.metadata = metadata;
        return b.build();
    }

    /** Bits per code for {@code symbols} distinct codes: {@code ceil(log2 symbols)}. */
    public static int bitsFor(int symbols) {
        return symbols <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(symbols - 1);
    }

    private static byte[] pack(Policy p, int bits) {
        long edges = p.edgeCount();
        byte[] out = new byte[(int) ((edges * bits + 7) / 8)];
        long bit = 0;
        int m = p.colorCount();
        for (int l = 0; l < p.layerCount(); l++) {
            for (int c : p.edgeColors(l)) {
                int code = c == Policy.PRUNED ? m : c;
                for (int i = 0; i < bits; i++, bit++) {
                    if (((code >>> i) & 1) != 0) {
                        out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                    }
                }
            }
        }
        return out;
    }

    private static int[][] unpack(ByteBuffer packed, int[] dims, int bits, int m) throws PolicyFormatException {
        int[][] colors = new int[dims.length - 1][];
        long bit = 0;
        for (int l = 0; l < colors.length; l++) {
            int n = dims[l] * dims[l + 1];
            colors[l] = new int[n];
            for (int e = 0; e < n; e++) {
                int code = 0;
                for (int i = 0; i < bits; i++, bit++) {
                    code |= ((packed.get((int) (bit >>> 3)) >>> (bit & 7)) & 1) << i;
                }
                if (code > m) {
                    throw new PolicyFormatException("edge_colors[" + l + "][" + e + "]",
                            "code " + code + " outside 0.." + m + " (" + m + " = pruned)");
                }
                colors[l][e] = code == m ? Policy.PRUNED : code;
            }
        }
        for (; bit < 8L * packed.remaining(); bit++) {
            if (((packed.get((int) (bit >>> 3)) >>> (bit & 7)) & 1) != 0) {
                throw new PolicyFormatException("edge_colors", "padding bits after the last edge must be zero");
            }
        }
        return colors;
    }

    /** A 0-based little-endian view of a vector, its length cross-checked against the buffer. */
    private static ByteBuffer view(ByteBuffer raw, int length, int elementBytes, String field) throws PolicyFormatException {
        if (raw == null) {
            throw new PolicyFormatException(field, "missing");
        }
        ByteBuffer v = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (length < 0 || (long) length * elementBytes != v.remaining()) {
            throw new PolicyFormatException(field, "vector length " + length + " does not fit the payload");
        }
        return v;
    }

    private static double[] doubles(ByteBuffer raw, int length, String field, int expected) throws PolicyFormatException {
        ByteBuffer v = view(raw, length, 8, field);
        if (length != expected) {
            throw new PolicyFormatException(field, "must have " + expected + " entries, has " + length);
        }
        double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = v.getDouble(8 * i);
            if (!Double.isFinite(out[i])) {
                throw new PolicyFormatException(field + "[" + i + "]", "must be finite, was " + out[i]);
            }
        }
        return out;
    }

    private static String text(ByteBuffer raw, String field) throws PolicyFormatException {
        if (raw == null) {
            throw new PolicyFormatException(field, "missing");
        }
        ByteBuffer v = raw.slice();
        if (v.remaining() > MAX_TEXT_BYTES) {
            throw new PolicyFormatException(field, "longer than " + MAX_TEXT_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(v).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyFormatException(field, "not valid UTF-8");
        }
    }
}
