package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.fb.PolicyFb;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PolicyCodecTest {

    @Test
    void roundTripsEveryFieldOfEveryStructure() throws Exception {
        for (StructureKind kind : StructureKind.values()) {
            Policy p = PolicyFactory.random(kind, 17, new int[] {7, 41, 13}, Activation.TANH, 99);
            assertSamePolicy(p, PolicyCodec.decode(PolicyCodec.encode(p)));
        }
        Policy small = TestPolicies.small();
        assertSamePolicy(small, PolicyCodec.decode(PolicyCodec.encode(small)));
    }

    @Test
    void packsColorsAtCeilLog2BitsPerEdge() throws Exception {
        Policy p = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {17, 41, 6}, Activation.TANH, 1);
        PolicyFb fb = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(PolicyCodec.encode(p)));
        assertEquals(5, fb.colorBits());
        assertEquals((943 * 5 + 7) / 8, fb.edgeColorsLength());
        Policy m = TestPolicies.masked();
        PolicyFb fm = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(PolicyCodec.encode(m)));
        assertEquals(PolicyCodec.bitsFor(m.colorCount() + 1), fm.colorBits());
    }

    @Test
    void rejectsNanWeightNamingIt() throws Exception {
        byte[] payload = PolicyCodec.encode(TestPolicies.small());
        int at = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(payload)).sharedWeightsAsByteBuffer().position();
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putDouble(at + 8 * 2, Double.NaN);
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(payload));
        assertEquals("shared_weights[2]", e.field());
    }

    @Test
    void rejectsInfiniteObservationStd() throws Exception {
        byte[] payload = PolicyCodec.encode(TestPolicies.small());
        int at = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(payload)).obsStdAsByteBuffer().position();
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, Double.POSITIVE_INFINITY);
        assertEquals("obs_std[0]", assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(payload)).field());
    }

    @Test
    void rejectsLayerSizeThatDisagreesWithTheColors() throws Exception {
        byte[] payload = PolicyCodec.encode(TestPolicies.small());
        int at = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(payload)).layerSizesAsByteBuffer().position();
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 4, 5);
        assertEquals("edge_colors", assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(payload)).field());
    }

    @Test
    void rejectsObservationDimThatDisagreesWithTheNormalisation() throws Exception {
        Policy p = TestPolicies.small();
        Policy.Builder b = p.toBuilder();
        b.obsMean = new double[] {0, 0, 0, 0};
        assertEquals("obs_mean", assertThrows(PolicyFormatException.class, b::build).field());
    }

    @Test
    void rejectsZeroLayerSize() throws Exception {
        byte[] payload = PolicyCodec.encode(TestPolicies.small());
        int at = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(payload)).layerSizesAsByteBuffer().position();
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 0);
        assertEquals("layer_sizes[0]", assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(payload)).field());
    }

    @Test
    void rejectsColorCodeAboveThePool() throws Exception {
        Policy p = PolicyFactory.random(StructureKind.CHROMATIC, 5, new int[] {2, 2}, Activation.LINEAR, 3);
        byte[] payload = PolicyCodec.encode(p);
        int at = PolicyFb.getRootAsPolicyFb(ByteBuffer.wrap(payload)).edgeColorsAsByteBuffer().position();
        payload[at] = (byte) ((payload[at] & ~0x07) | 0x07); // first edge: code 7 > M = 5
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(payload));
        assertEquals("edge_colors[0][0]", e.field());
    }

    @Test
    void rejectsGarbageAsPayload() {
        byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37 + 11);
        }
        assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(garbage));
        assertThrows(PolicyFormatException.class, () -> PolicyCodec.decode(new byte[3]));
    }

    static void assertSamePolicy(Policy a, Policy b) {
        CompactPolicyCodecTest.assertSameExceptMetadata(a, b);
        assertEquals(a.metadata(), b.metadata());
        assertTrue(b.metadata().containsKey("seed"));
    }
}
