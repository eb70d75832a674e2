package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEnvelopeTest {

    private static final KeyPair KEYS = PolicyKeys.generate();
    private static final String KEY_ID = PolicyKeys.keyId(KEYS.getPublic());
    private static final TrustedKeys TRUST = TrustedKeys.of(KEYS.getPublic());

    @Test
    void loadsWhatItWrote() throws Exception {
        Policy p = TestPolicies.small();
        byte[] file = PolicyEnvelope.seal(PolicyCodec.encode(p), 0);
        LoadedPolicy loaded = PolicyFiles.load(file, TrustedKeys.none(), false);
        PolicyCodecTest.assertSamePolicy(p, loaded.policy());
        assertFalse(loaded.signed());
        assertNull(loaded.keyId());
        assertEquals(64, loaded.sha256Hex().length());
        assertEquals(file.length, loaded.fileBytes());
    }

    @Test
    void signedFileVerifiesAndCarriesItsVersion() throws Exception {
        byte[] file = signedSmall(42);
        LoadedPolicy loaded = PolicyFiles.load(file, TRUST, true);
        assertTrue(loaded.signed());
        assertTrue(loaded.verified());
        assertEquals(KEY_ID, loaded.keyId());
        assertEquals(42, loaded.policyVersion());
        assertEquals(42, loaded.policy().version());
    }

    @Test
    void rejectsEverySingleBitFlipOfAnUnsignedFile() throws Exception {
        byte[] file = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 3);
        assertEveryFlipRejected(file, TrustedKeys.none(), false);
    }

    @Test
    void rejectsEverySingleBitFlipOfASignedFile() throws Exception {
        assertEveryFlipRejected(signedSmall(5), TRUST, true);
    }

    @Test
    void rejectsEveryTruncation() throws Exception {
        byte[] file = signedSmall(1);
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(cut, TRUST, false), "length " + n);
        }
    }

    @Test
    void rejectsAppendedGarbage() throws Exception {
        byte[] file = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] longer = Arrays.copyOf(file, file.length + 7);
        PolicyFormatException e = assertThrows(PolicyFormatException.class,
                () -> PolicyFiles.load(longer, TrustedKeys.none(), false));
        assertEquals("file_length", e.field());
    }

    @Test
    void rejectsSignatureByAnotherKeyThatClaimsATrustedKeyId() throws Exception {
        KeyPair other = PolicyKeys.generate();
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] forged = PolicyEnvelope.sign(unsigned, other.getPrivate(), KEY_ID, 9);
        PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(forged, TRUST, true));
        assertEquals("signature", e.field());
    }

    @Test
    void rejectsSignatureByUntrustedKeyWhenSignatureRequired() throws Exception {
        KeyPair other = PolicyKeys.generate();
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] signed = PolicyEnvelope.sign(unsigned, other.getPrivate(), PolicyKeys.keyId(other.getPublic()), 9);
        assertEquals("key_id", assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(signed, TRUST, true)).field());
        LoadedPolicy lax = PolicyFiles.load(signed, TRUST, false);
        assertTrue(lax.signed());
        assertFalse(lax.verified());
    }

    @Test
    void rejectsStrippedSignature() throws Exception {
        byte[] signed = signedSmall(7);
        byte[] stripped = Arrays.copyOf(signed, signed.length - PolicyEnvelope.KEY_ID_BYTES - PolicyEnvelope.SIGNATURE_BYTES);
        assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(stripped, TRUST, false));
        // even with the flag cleared and the hash recomputed, a required signature is missing
        byte[] resealed = PolicyEnvelope.seal(PolicyEnvelope.open(signed, TRUST, true).payload(), 7);
        assertEquals("signature", assertThrows(PolicyFormatException.class,
                () -> PolicyFiles.load(resealed, TRUST, true)).field());
    }

    @Test
    void rejectsWrongMagicAndFutureFormat() throws Exception {
        byte[] file = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] text = "{\"not\": \"a policy\"} padding padding padding padding".getBytes();
        assertEquals("magic", assertThrows(PolicyFormatException.class,
                () -> PolicyFiles.load(text, TrustedKeys.none(), false)).field());
        file[8] = 3; // 1 is the full format, 2 the compact one
        byte[] future = file;
        assertEquals("format_version", assertThrows(PolicyFormatException.class,
                () -> PolicyFiles.load(future, TrustedKeys.none(), false)).field());
    }

    @Test
    void keysSurvivePemFilesAndTrustDirectory(@TempDir Path dir) throws Exception {
        PolicyKeys.savePrivate(dir.resolve("robot.key"), KEYS.getPrivate());
        PolicyKeys.savePublic(dir.resolve("robot.pub"), KEYS.getPublic());
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] signed = PolicyEnvelope.sign(unsigned, PolicyKeys.loadPrivate(dir.resolve("robot.key")), KEY_ID, 2);
        TrustedKeys trust = TrustedKeys.fromDirectory(dir);
        assertEquals(1, trust.size());
        assertTrue(PolicyFiles.load(signed, trust, true).verified());
    }

    @Test
    void writesAtomicallyAndReadsBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        Policy p = TestPolicies.small();
        PolicyFiles.write(f, p);
        PolicyFiles.write(f, p);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertArrayEquals(PolicyEnvelope.seal(PolicyCodec.encode(p), 0), PolicyFiles.read(f));
        PolicyCodecTest.assertSamePolicy(p, PolicyFiles.load(f, TrustedKeys.none(), false).policy());
    }

    private static byte[] signedSmall(long version) throws Exception {
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        return PolicyEnvelope.sign(unsigned, KEYS.getPrivate(), KEY_ID, version);
    }

    private static void assertEveryFlipRejected(byte[] file, TrustedKeys trust, boolean requireSignature) {
        assertEveryFlipRejected(file, file.length, trust, requireSignature);
    }

    /** Flips every bit of the first {@code bytes} bytes, one at a time; each flipped file must be refused. */
    static void assertEveryFlipRejected(byte[] file, int bytes, TrustedKeys trust, boolean requireSignature) {
        for (int bit = 0; bit < 8 * bytes; bit++) {
            byte[] flipped = file.clone();
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                PolicyFiles.load(flipped, trust, requireSignature);
                fail("bit " + bit + " flipped and the file still loaded");
            } catch (PolicyFormatException expected) {
                // the one exception type the loader may throw
            }
        }
    }
}
