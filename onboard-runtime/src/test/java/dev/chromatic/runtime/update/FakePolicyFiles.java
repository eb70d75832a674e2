package dev.chromatic.runtime.update;

import dev.chromatic.runtime.policy.PolicyFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A self-checking stand-in file format for store tests: "FAKEPOL1", version, payload, SHA-256 of
 * everything before it. Deterministic per (version, size) so a test can rebuild the exact bytes.
 */
final class FakePolicyFiles {

    private static final byte[] MAGIC = "FAKEPOL1".getBytes(StandardCharsets.US_ASCII);

    static final PolicyFileVerifier VERIFIER = FakePolicyFiles::verify;

    private FakePolicyFiles() {
    }

    static byte[] file(long version, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(version * 31 + payloadBytes).nextBytes(payload);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + payloadBytes + 32);
        b.put(MAGIC).putLong(version).put(payload);
        b.put(sha256(Arrays.copyOf(b.array(), b.position())));
        return b.array();
    }

    static long verify(byte[] file) throws PolicyFormatException {
        if (file.length < MAGIC.length + 8 + 32) {
            throw new PolicyFormatException("size", "too short");
        }
        if (!Arrays.equals(MAGIC, Arrays.copyOf(file, MAGIC.length))) {
            throw new PolicyFormatException("magic", "wrong");
        }
        byte[] body = Arrays.copyOf(file, file.length - 32);
        byte[] sum = Arrays.copyOfRange(file, file.length - 32, file.length);
        if (!MessageDigest.isEqual(sha256(body), sum)) {
            throw new PolicyFormatException("sha256", "mismatch");
        }
        return ByteBuffer.wrap(file, MAGIC.length, 8).getLong();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
