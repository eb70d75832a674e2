package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/**
 * The sizes docs/policy-format.md reports, measured on the encoder's real output: a signed compact
 * chromatic policy of the paper's 17-41-6 size and one of the robot's 7-41-13 size fit in 1 KiB.
 */
class CompactPolicySizeTest {

    private static final KeyPair KEYS = PolicyKeys.generate();
    /** A version as `chromatic sign` stamps it by default, seconds since 1970; the header is fixed, so it does not change a size. */
    private static final long VERSION = 1_760_000_000L;

    private static int signedBytes(Policy p, PolicyEncoding encoding) throws Exception {
        return PolicyEnvelope.sign(PolicyFiles.encode(p, encoding), KEYS.getPrivate(), PolicyKeys.keyId(KEYS.getPublic()), VERSION).length;
    }

    @Test
    void signedCompactChromatic17x41x6FitsInOneKibibyte() throws Exception {
        Policy p = TestPolicies.halfCheetahSized(1);
        int signed = signedBytes(p, PolicyEncoding.COMPACT);
        assertTrue(signed <= 1024, signed + " bytes");
        // 24 header + 892 payload (9 header fields, 483 colors, 95 float32, 4 period, 16 ids) + 80 trailer
        assertEquals(996, signed);
        assertEquals(948, PolicyFiles.encode(p, PolicyEncoding.COMPACT).length);
        assertEquals(1856, PolicyFiles.encode(p, PolicyEncoding.FULL).length);
        assertEquals(1936, signedBytes(p, PolicyEncoding.FULL));
        assertEquals(6571, PolicyStats.of(p).paperBits());
    }

    @Test
    void signedCompactChromatic7x41x13FitsInOneKibibyte() throws Exception {
        // every normalisation and action-scaling entry different, the robot's ids
        Policy.Builder b = TestPolicies.trainedLooking(new int[] {7, 41, 13}, null, null, 1).toBuilder();
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        b.task = "minitaur-walk";
        int signed = signedBytes(b.build(), PolicyEncoding.COMPACT);
        assertTrue(signed <= 1024, signed + " bytes");
        assertEquals(970, signed);
        // the shipped policy, its numbers rounded to float32
        Path shipped = Path.of("").toAbsolutePath().getParent().resolve("policies").resolve("minitaur-pmtg.cpol");
        Policy p = CompactPolicyCodec.toFloat32(PolicyFiles.load(Files.readAllBytes(shipped), TrustedKeys.none(), false).policy());
        int shippedSigned = signedBytes(p, PolicyEncoding.COMPACT);
        assertTrue(shippedSigned <= 1024, shippedSigned + " bytes");
        assertEquals(970, shippedSigned);
    }

    @Test
    void everyVectorDifferentIsTheWorstCaseOf17x41x6() throws Exception {
        // normalisation and action scaling all different: 10 more float32 than the paper's shape
        Policy p = TestPolicies.trainedLooking(new int[] {17, 41, 6}, null, null, 1);
        assertEquals(1036, signedBytes(p, PolicyEncoding.COMPACT));
        assertEquals(988, PolicyFiles.encode(p, PolicyEncoding.COMPACT).length);
        assertEquals(1856, PolicyFiles.encode(p, PolicyEncoding.FULL).length);
        assertEquals(1936, signedBytes(p, PolicyEncoding.FULL));
    }
}
