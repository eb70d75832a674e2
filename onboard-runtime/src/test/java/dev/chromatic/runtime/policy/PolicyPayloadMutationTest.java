package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid payloads, full and compact, straight into their parsers (what a
 * correctly hashed but malicious file would reach): whatever the bytes, the decoder returns a valid
 * policy or throws {@link PolicyFormatException}; nothing else escapes.
 */
class PolicyPayloadMutationTest {

    private static final int MUTANTS_PER_SEED = 4000;

    @Test
    void mutatedPayloadsOnlyEverFailWithPolicyFormatException() throws Exception {
        byte[][] seeds = {
            PolicyCodec.encode(TestPolicies.small()),
            PolicyCodec.encode(TestPolicies.masked()),
            PolicyCodec.encode(PolicyFactory.random(StructureKind.TOEPLITZ, 0, new int[] {7, 9, 3}, Activation.TANH, 2)),
        };
        SplittableRandom rng = new SplittableRandom(20240601L);
        int rejected = 0;
        for (byte[] seed : seeds) {
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                byte[] m = mutate(seed, rng);
                try {
                    PolicyCodec.decode(m).validate();
                } catch (PolicyFormatException expected) {
                    rejected++;
                } catch (Throwable t) {
                    fail("mutant " + i + " escaped with " + t, t);
                }
            }
        }
        assertTrue(rejected > MUTANTS_PER_SEED, "mutations should mostly be rejected, only " + rejected + " were");
    }

    @Test
    void mutatedCompactPayloadsOnlyEverFailWithPolicyFormatException() throws Exception {
        Policy.Builder pruned = TestPolicies.smallFloat32().toBuilder();
        pruned.edgeColors[0][1] = Policy.PRUNED;
        byte[][] seeds = {
            CompactPolicyCodec.encode(TestPolicies.smallFloat32()),
            CompactPolicyCodec.encode(pruned.build()),
            CompactPolicyCodec.encode(CompactPolicyCodec.toFloat32(TestPolicies.masked())),
            CompactPolicyCodec.encode(CompactPolicyCodec.toFloat32(
                    PolicyFactory.random(StructureKind.TOEPLITZ, 0, new int[] {7, 9, 3}, Activation.TANH, 2))),
        };
        SplittableRandom rng = new SplittableRandom(20250101L);
        int rejected = 0;
        for (byte[] seed : seeds) {
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                byte[] m = mutate(seed, rng);
                try {
                    CompactPolicyCodec.decode(m).validate();
                } catch (PolicyFormatException expected) {
                    rejected++;
                } catch (Throwable t) {
                    fail("compact mutant " + i + " escaped with " + t, t);
                }
            }
        }
        assertTrue(rejected > MUTANTS_PER_SEED, "mutations should mostly be rejected, only " + rejected + " were");
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rng) {
        byte[] m = seed.clone();
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = rng.nextInt(m.length);
            switch (rng.nextInt(5)) {
                case 0:
                    m[at] ^= (byte) (1 << rng.nextInt(8));
                    break;
                case 1:
                    m[at] = (byte) rng.nextInt(256);
                    break;
                case 2:
                    if (at + 4 <= m.length) {
                        int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF, m.length, rng.nextInt()};
                        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(at, extremes[rng.nextInt(extremes.length)]);
                    }
                    break;
                case 3:
                    m = java.util.Arrays.copyOf(m, Math.max(1, at));
                    break;
                default:
                    m = java.util.Arrays.copyOf(m, m.length + 1 + rng.nextInt(16));
            }
        }
        return m;
    }
}
