package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The envelope of compact files (format 2): the same checks as a full file's, before any payload byte is parsed. */
class CompactEnvelopeTest {

    private static final KeyPair KEYS = PolicyKeys.generate();
    private static final String KEY_ID = PolicyKeys.keyId(KEYS.getPublic());
    private static final TrustedKeys TRUST = TrustedKeys.of(KEYS.getPublic());

    private static byte[] unsignedSmall(long version) throws Exception {
        return PolicyEnvelope.seal(CompactPolicyCodec.encode(TestPolicies.smallFloat32()), version, PolicyEncoding.COMPACT);
    }

    private static byte[] signedSmall(long version) throws Exception {
        return PolicyEnvelope.sign(unsignedSmall(0), KEYS.getPrivate(), KEY_ID, version);
    }

    @Test
    void loadsWhatItWroteWithoutMetadata() throws Exception {
        Policy p = TestPolicies.smallFloat32();
        byte[] file = unsignedSmall(4);
        LoadedPolicy loaded = PolicyFiles.load(file, TrustedKeys.none(), false);
        assertEquals(PolicyEncoding.COMPACT, loaded.encoding());
        CompactPolicyCodecTest.assertSameExceptMetadata(p, loaded.policy());
        assertTrue(loaded.policy().metadata().isEmpty());
        assertEquals(4, loaded.policyVersion());
        assertFalse(loaded.signed());
        assertNull(loaded.keyId());
        assertEquals(file.length, loaded.fileBytes());
        assertEquals(PolicyEnvelope.fileBytes(CompactPolicyCodec.encode(p).length, PolicyEncoding.COMPACT, false), file.length);
    }

    @Test
    void signedFileVerifiesKeepsItsEncodingAndCarriesItsVersion() throws Exception {
        byte[] file = signedSmall(42);
        assertEquals(PolicyEnvelope.fileBytes(CompactPolicyCodec.encode(TestPolicies.smallFloat32()).length, PolicyEncoding.COMPACT, true),
                file.length);
        LoadedPolicy loaded = PolicyFiles.load(file, TRUST, true);
        assertEquals(PolicyEncoding.COMPACT, loaded.encoding());
        assertTrue(loaded.signed());
        assertTrue(loaded.verified());
        assertEquals(KEY_ID, loaded.keyId());
        assertEquals(42, loaded.policyVersion());
        // the digest is the full SHA-256 of header and payload, as for a full file
        assertEquals(64, loaded.sha256Hex().length());
        assertEquals(PolicyFiles.load(unsignedSmall(42), TrustedKeys.none(), false).policy().sharedWeights()[0],
                loaded.policy().sharedWeights()[0]);
        // re-signing replaces the signature and stays compact
        byte[] again = PolicyEnvelope.sign(file, KEYS.getPrivate(), KEY_ID, 43);
        assertEquals(file.length, again.length);
        assertEquals(43, PolicyFiles.load(again, TRUST, true).policyVersion());
    }

    @Test
    void signedCompactFileIs48BytesShorterThanASignedFullTrailer() throws Exception {
        int full = PolicyEnvelope.fileBytes(0, PolicyEncoding.FULL, true);
        int compact = PolicyEnvelope.fileBytes(0, PolicyEncoding.COMPACT, true);
        assertEquals(24 + 32 + 16 + 64, full);
        assertEquals(24 + 8 + 8 + 64, compact);
        assertEquals(PolicyEnvelope.fileBytes(0, PolicyEncoding.FULL, false), PolicyEnvelope.fileBytes(0, PolicyEncoding.COMPACT, false));
    }

    @Test
    void rejectsEverySingleBitFlipOfAnUnsignedFile() throws Exception {
        byte[] file = unsignedSmall(3);
        PolicyEnvelopeTest.assertEveryFlipRejected(file, file.length, TrustedKeys.none(), false);
    }

    @Test
    void rejectsEverySingleBitFlipOfASignedFile() throws Exception {
        byte[] file = signedSmall(5);
        PolicyEnvelopeTest.assertEveryFlipRejected(file, file.length, TRUST, true);
    }

    @Test
    void shortDigestCatchesCorruptionWhenTheSigningKeyIsNotAtHand() throws Exception {
        byte[] file = signedSmall(5);
        // header, payload and the 8-byte digest; key id and signature are checked only with the key
        int covered = file.length - PolicyEnvelope.COMPACT_KEY_ID_BYTES - PolicyEnvelope.SIGNATURE_BYTES;
        PolicyEnvelopeTest.assertEveryFlipRejected(file, covered, TrustedKeys.none(), false);
    }

    @Test
    void rejectsEveryTruncationAndAppendedBytes() throws Exception {
        for (byte[] file : new byte[][] {signedSmall(1), unsignedSmall(1)}) {
            for (int n = 0; n < file.length; n++) {
                byte[] cut = Arrays.copyOf(file, n);
                assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(cut, TRUST, false), "length " + n);
            }
            byte[] longer = Arrays.copyOf(file, file.length + 3);
            assertEquals("file_length", assertThrows(PolicyFormatException.class,
                    () -> PolicyFiles.load(longer, TRUST, false)).field());
        }
    }

    @Test
    void rejectsSignatureByAnotherKeyThatClaimsATrustedKeyId() throws Exception {
        KeyPair other = PolicyKeys.generate();
        byte[] forged = PolicyEnvelope.sign(unsignedSmall(0), other.getPrivate(), KEY_ID, 9);
        assertEquals("signature", assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(forged, TRUST, true)).field());
    }

    @Test
    void rejectsSignatureByUntrustedKeyWhenSignatureRequired() throws Exception {
        KeyPair other = PolicyKeys.generate();
        byte[] signed = PolicyEnvelope.sign(unsignedSmall(0), other.getPrivate(), PolicyKeys.keyId(other.getPublic()), 9);
        assertEquals("key_id", assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(signed, TRUST, true)).field());
        LoadedPolicy lax = PolicyFiles.load(signed, TRUST, false);
        assertTrue(lax.signed());
        assertFalse(lax.verified());
        assertEquals(PolicyKeys.keyId(other.getPublic()), lax.keyId());
    }

    @Test
    void rejectsStrippedSignature() throws Exception {
        byte[] signed = signedSmall(7);
        byte[] stripped = Arrays.copyOf(signed, signed.length - PolicyEnvelope.COMPACT_KEY_ID_BYTES - PolicyEnvelope.SIGNATURE_BYTES);
        assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(stripped, TRUST, false));
        byte[] resealed = PolicyEnvelope.seal(PolicyEnvelope.open(signed, TRUST, true).payload(), 7, PolicyEncoding.COMPACT);
        assertEquals("signature", assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(resealed, TRUST, true)).field());
    }

    @Test
    void aPayloadInTheOtherEncodingIsRejectedByItsParser() throws Exception {
        byte[] fullInCompact = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0, PolicyEncoding.COMPACT);
        assertThrows(PolicyFormatException.class, () -> PolicyFiles.load(fullInCompact, TrustedKeys.none(), false));
        byte[] compactInFull = PolicyEnvelope.seal(CompactPolicyCodec.encode(TestPolicies.smallFloat32()), 0, PolicyEncoding.FULL);
        assertEquals("payload", assertThrows(PolicyFormatException.class,
                () -> PolicyFiles.load(compactInFull, TrustedKeys.none(), false)).field());
    }

    @Test
    void fullFilesStayFullWhenSigned() throws Exception {
        byte[] full = PolicyEnvelope.seal(PolicyCodec.encode(TestPolicies.small()), 0);
        byte[] signed = PolicyEnvelope.sign(full, KEYS.getPrivate(), KEY_ID, 2);
        LoadedPolicy loaded = PolicyFiles.load(signed, TRUST, true);
        assertEquals(PolicyEncoding.FULL, loaded.encoding());
        assertEquals(full.length + PolicyEnvelope.KEY_ID_BYTES + PolicyEnvelope.SIGNATURE_BYTES, signed.length);
    }

    @Test
    void writesAtomically(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.cpol");
        PolicyFiles.write(f, TestPolicies.smallFloat32(), PolicyEncoding.COMPACT);
        PolicyFiles.write(f, TestPolicies.smallFloat32(), PolicyEncoding.COMPACT);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertArrayEquals(unsignedSmall(0), Files.readAllBytes(f));
        assertThrows(PolicyFormatException.class, () -> PolicyFiles.write(f, TestPolicies.small(), PolicyEncoding.COMPACT));
    }
}
