package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CompactPolicyCodecTest {

    /** Offset of the coloring byte in a payload of a policy whose layer sizes fit one varint byte each. */
    private static int coloringAt(Policy p) {
        return 3 + p.layerSizes().length + (p.layerCount() + 7) / 8 + (p.colorCount() < 128 ? 1 : p.colorCount() < 16384 ? 2 : 3);
    }

    private static int weightsAt(Policy p) {
        return coloringAt(p) + 1 + CompactPolicyCodec.colorBytes(p);
    }

    @Test
    void roundTripsEveryStructureToTheSameNumbersWithoutMetadata() throws Exception {
        for (StructureKind kind : StructureKind.values()) {
            Policy p = CompactPolicyCodec.toFloat32(PolicyFactory.random(kind, 17, new int[] {7, 41, 13}, Activation.TANH, 99));
            assertSameExceptMetadata(p, CompactPolicyCodec.decode(CompactPolicyCodec.encode(p)));
        }
        Policy small = TestPolicies.smallFloat32();
        Policy back = CompactPolicyCodec.decode(CompactPolicyCodec.encode(small));
        assertSameExceptMetadata(small, back);
        assertTrue(back.metadata().isEmpty());
        Policy.Builder linear = PolicyFactory.random(StructureKind.CHROMATIC, 1, new int[] {4, 9, 9, 9, 9, 9, 9, 9, 9, 2},
                Activation.LINEAR, 3).toBuilder();
        linear.controlPeriodNs = Long.MAX_VALUE;
        Policy onlyOneColor = CompactPolicyCodec.toFloat32(linear.build());
        assertSameExceptMetadata(onlyOneColor, CompactPolicyCodec.decode(CompactPolicyCodec.encode(onlyOneColor)));
    }

    @Test
    void storesFixedPatternsWithoutColorsAndPrunedEdgesAsOneMoreCode() throws Exception {
        int[] dims = {17, 41, 6};
        for (StructureKind kind : new StructureKind[] {StructureKind.TOEPLITZ, StructureKind.CIRCULANT, StructureKind.UNSTRUCTURED}) {
            Policy p = CompactPolicyCodec.toFloat32(PolicyFactory.random(kind, 0, dims, Activation.TANH, 1));
            assertEquals(CompactPolicyCodec.PATTERN, CompactPolicyCodec.encode(p)[coloringAt(p)], kind.name());
            assertEquals(0, CompactPolicyCodec.colorBytes(p), kind.name());
        }
        Policy masked = CompactPolicyCodec.toFloat32(PolicyFactory.random(StructureKind.MASKED, 0, dims, Activation.TANH, 1));
        assertEquals(CompactPolicyCodec.PATTERN_MASK, CompactPolicyCodec.encode(masked)[coloringAt(masked)]);
        assertEquals((943 + 7) / 8, CompactPolicyCodec.colorBytes(masked));
        // a Toeplitz policy whose colors are not the pattern keeps them
        Policy.Builder odd = PolicyFactory.random(StructureKind.TOEPLITZ, 0, dims, Activation.TANH, 1).toBuilder();
        odd.edgeColors[0][0] = 5;
        Policy notPattern = CompactPolicyCodec.toFloat32(odd.build());
        assertEquals(CompactPolicyCodec.CODED, CompactPolicyCodec.encode(notPattern)[coloringAt(notPattern)]);
        assertSameExceptMetadata(notPattern, CompactPolicyCodec.decode(CompactPolicyCodec.encode(notPattern)));
        // a chromatic policy with a pruned edge codes it as M
        Policy.Builder pruned = TestPolicies.smallFloat32().toBuilder();
        pruned.edgeColors[1][3] = Policy.PRUNED;
        Policy withPruned = pruned.build();
        assertEquals(CompactPolicyCodec.CODED_PRUNED, CompactPolicyCodec.encode(withPruned)[coloringAt(withPruned)]);
        assertSameExceptMetadata(withPruned, CompactPolicyCodec.decode(CompactPolicyCodec.encode(withPruned)));
    }

    @Test
    void packsSeventeenColorsInElevenCodeGroupsOfFortyFiveBits() throws Exception {
        assertEquals(11, CompactPolicyCodec.groupDigits(17));
        assertEquals(1, CompactPolicyCodec.groupDigits(2));
        // 943 edges: 85 groups of 45 bits and 8 codes in 33 bits; the unbounded mixed radix needs 3855
        assertEquals(85 * 45 + 33, CompactPolicyCodec.codedBits(943, 17));
        assertEquals(3855, (long) Math.ceil(943 * Math.log(17) / Math.log(2)));
        Policy p = TestPolicies.halfCheetahSized(1);
        assertEquals(483, CompactPolicyCodec.colorBytes(p));
        // within a third of a bit of log2 R for every radix up to 2^20 + 1, the worst just above a power of two
        for (int radix : new int[] {2, 3, 5, 17, 18, 100, 1000, 4097, 65537, (1 << 20) + 1}) {
            double perCode = CompactPolicyCodec.codedBits(1_000_000, radix) / 1_000_000.0;
            assertTrue(perCode < Math.log(radix) / Math.log(2) + 0.34, "radix " + radix + ": " + perCode + " bits per code");
        }
    }

    @Test
    void storesAVectorOfEqualEntriesOnce() throws Exception {
        Policy distinct = TestPolicies.trainedLooking(new int[] {17, 41, 6}, null, null, 4);
        Policy.Builder b = distinct.toBuilder();
        Arrays.fill(b.actionScale, 1.0);
        Arrays.fill(b.actionOffset, 0.0);
        Policy unit = b.build();
        assertEquals(CompactPolicyCodec.encode(distinct).length - 4 * 2 * 5, CompactPolicyCodec.encode(unit).length);
        assertSameExceptMetadata(unit, CompactPolicyCodec.decode(CompactPolicyCodec.encode(unit)));
        // -0.0 and 0.0 are different floats: such a vector is stored entry by entry and comes back as it was
        b.actionOffset = b.actionOffset.clone();
        b.actionOffset[2] = -0.0;
        Policy signedZero = b.build();
        assertEquals(CompactPolicyCodec.encode(unit).length + 4 * 5, CompactPolicyCodec.encode(signedZero).length);
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(CompactPolicyCodec.decode(CompactPolicyCodec.encode(signedZero)).actionOffset()[2]));
    }

    @Test
    void refusesNumbersThatAreNotFloat32NamingTheFirst() throws Exception {
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.encode(TestPolicies.small()));
        assertEquals("shared_weights[0]", e.field());
        assertFalse(CompactPolicyCodec.holdsFloat32(TestPolicies.small()));
        assertTrue(CompactPolicyCodec.holdsFloat32(TestPolicies.smallFloat32()));
        Policy.Builder b = TestPolicies.smallFloat32().toBuilder();
        b.obsClip = 5.1;
        assertEquals("obs_clip", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.encode(b.build())).field());
    }

    @Test
    void roundingToFloat32IsIdempotentAndRefusesWhatFloat32CannotHold() throws Exception {
        Policy once = TestPolicies.smallFloat32();
        assertSameExceptMetadata(once, CompactPolicyCodec.toFloat32(once));
        assertEquals(once.metadata(), CompactPolicyCodec.toFloat32(once).metadata());
        Policy.Builder big = TestPolicies.small().toBuilder();
        big.sharedWeights[3] = 1e39;
        assertEquals("shared_weights[3]", assertThrows(PolicyFormatException.class,
                () -> CompactPolicyCodec.toFloat32(big.build())).field());
        Policy.Builder tiny = TestPolicies.small().toBuilder();
        tiny.obsStd[1] = 1e-50;
        assertEquals("obs_std[1]", assertThrows(PolicyFormatException.class,
                () -> CompactPolicyCodec.toFloat32(tiny.build())).field());
    }

    @Test
    void rejectsNanWeightNamingIt() throws Exception {
        Policy p = TestPolicies.smallFloat32();
        byte[] payload = CompactPolicyCodec.encode(p);
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putFloat(weightsAt(p) + 4 * 2, Float.NaN);
        assertEquals("shared_weights[2]", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(payload)).field());
    }

    @Test
    void rejectsInfiniteOrZeroObservationStd() throws Exception {
        Policy p = TestPolicies.smallFloat32();
        int stdAt = weightsAt(p) + 4 * (p.colorCount() + p.biasParamCount() + p.observationDim());
        byte[] inf = CompactPolicyCodec.encode(p);
        ByteBuffer.wrap(inf).order(ByteOrder.LITTLE_ENDIAN).putFloat(stdAt, Float.POSITIVE_INFINITY);
        assertEquals("obs_std[0]", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(inf)).field());
        byte[] zero = CompactPolicyCodec.encode(p);
        ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).putFloat(stdAt + 4, 0f);
        assertEquals("obs_std[1]", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(zero)).field());
    }

    @Test
    void rejectsAColorGroupAboveThePool() throws Exception {
        Policy p = CompactPolicyCodec.toFloat32(PolicyFactory.random(StructureKind.CHROMATIC, 5, new int[] {2, 2}, Activation.LINEAR, 3));
        byte[] payload = CompactPolicyCodec.encode(p);
        // 4 edges in radix 5: one group of 3 codes in 7 bits (< 125) and one of 1 in 3 bits (< 5); 127 is too much
        payload[coloringAt(p) + 1] |= 0x7F;
        assertEquals("edge_colors[0][0]", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(payload)).field());
        byte[] padded = CompactPolicyCodec.encode(p);
        padded[coloringAt(p) + 2] |= (byte) 0x80;
        assertEquals("edge_colors", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(padded)).field());
    }

    @Test
    void rejectsHeaderFieldsNamingThem() throws Exception {
        Policy p = TestPolicies.smallFloat32();
        assertRejected(p, 0, (byte) 9, "structure");
        assertRejected(p, 1, (byte) 0x40, "flags");
        assertRejected(p, 2, (byte) 0, "layer_count");
        assertRejected(p, 2, (byte) 17, "layer_count");
        assertRejected(p, 3, (byte) 0, "layer_sizes[0]");
        assertRejected(p, 6, (byte) 0x07, "activations");     // two layers: bits 2.. are padding
        assertRejected(p, 7, (byte) 0, "color_count");
        assertRejected(p, coloringAt(p), (byte) 4, "coloring");
        assertRejected(p, coloringAt(p), (byte) CompactPolicyCodec.PATTERN, "coloring"); // chromatic has no pattern
        Policy toeplitz = CompactPolicyCodec.toFloat32(PolicyFactory.random(StructureKind.TOEPLITZ, 0, new int[] {3, 4, 2}, Activation.TANH, 1));
        assertRejected(toeplitz, 7, (byte) 3, "color_count"); // the pattern of 3-4-2 has 6 + 5 colors
    }

    @Test
    void rejectsVarintsThatAreNotInTheirShortestForm() throws Exception {
        Policy p = TestPolicies.smallFloat32();
        byte[] payload = CompactPolicyCodec.encode(p);
        byte[] longer = new byte[payload.length + 1];
        // layer_sizes[0] = 3 written as 0x83 0x00
        System.arraycopy(payload, 0, longer, 0, 3);
        longer[3] = (byte) 0x83;
        longer[4] = 0;
        System.arraycopy(payload, 4, longer, 5, payload.length - 4);
        assertEquals("layer_sizes[0]", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(longer)).field());
    }

    @Test
    void checksTheBytesAHeaderAsksForBeforeAllocating() throws Exception {
        // 4096 x 512 chromatic with M = 2^20: megabytes of colors and weights announced by a 12-byte payload
        byte[] hostile = {0, 0, 1, (byte) 0x80, 0x20, (byte) 0x80, 0x04, 1, (byte) 0x80, (byte) 0x80, 0x40, 0};
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(hostile));
        assertEquals("payload", e.field());
        assertTrue(e.getMessage().contains("needs at least"), e.getMessage());
        byte[] tooManyEdges = {0, 0, 1, (byte) 0x80, 0x20, (byte) 0x80, 0x20, 1, 17, 0};
        assertEquals("layer_sizes", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(tooManyEdges)).field());
    }

    @Test
    void rejectsTrailingBytesAndEveryTruncation() throws Exception {
        byte[] payload = CompactPolicyCodec.encode(TestPolicies.smallFloat32());
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertEquals("payload", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(longer)).field());
        for (int n = 0; n < payload.length; n++) {
            byte[] cut = Arrays.copyOf(payload, n);
            assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(cut), "length " + n);
        }
    }

    @Test
    void rejectsTextThatIsNotUtf8() throws Exception {
        Policy.Builder b = TestPolicies.smallFloat32().toBuilder();
        b.task = "zzzz";
        byte[] payload = CompactPolicyCodec.encode(b.build());
        payload[payload.length - 2] = (byte) 0xC0;
        assertEquals("task", assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(payload)).field());
    }

    private static void assertRejected(Policy p, int at, byte value, String field) throws Exception {
        byte[] payload = CompactPolicyCodec.encode(p);
        payload[at] = value;
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> CompactPolicyCodec.decode(payload),
                "byte " + at + " = " + value);
        assertEquals(field, e.field(), e.getMessage());
    }

    static void assertSameExceptMetadata(Policy a, Policy b) {
        assertEquals(a.structure(), b.structure());
        assertArrayEquals(a.layerSizes(), b.layerSizes());
        assertArrayEquals(a.activations(), b.activations());
        assertEquals(a.colorCount(), b.colorCount());
        for (int l = 0; l < a.layerCount(); l++) {
            assertArrayEquals(a.edgeColors(l), b.edgeColors(l));
            assertArrayEquals(a.biases(l), b.biases(l));
        }
        assertArrayEquals(a.sharedWeights(), b.sharedWeights());
        assertEquals(a.outputBias(), b.outputBias());
        assertArrayEquals(a.obsMean(), b.obsMean());
        assertArrayEquals(a.obsStd(), b.obsStd());
        assertEquals(a.obsClip(), b.obsClip());
        assertArrayEquals(a.actionScale(), b.actionScale());
        assertArrayEquals(a.actionOffset(), b.actionOffset());
        assertEquals(a.controlPeriodNs(), b.controlPeriodNs());
        assertEquals(a.robot(), b.robot());
        assertEquals(a.stack(), b.stack());
        assertEquals(a.task(), b.task());
    }
}
