package dev.chromatic.runtime.policy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The {@code .cpol} envelope around a payload. Little-endian layout:
 * <pre>
 *  0  magic       8 bytes  89 43 50 4F 4C 0D 0A 1A  ("\x89CPOL\r\n\x1a")
 *  8  format      u16      1 (full payload) or 2 (compact payload)
 * 10  flags       u16      bit 0: signed; other bits 0
 * 12  version     i64      policy version (monotonic, >= 0)
 * 20  length      u32      payload length n (at most MAX_PAYLOAD_BYTES)
 * 24  payload     n bytes
 * format 1, and format 2 unsigned:
 * 24+n sha256     32 bytes over bytes [0, 24+n)
 * format 1 signed, after the sha256:
 * 56+n key id     16 bytes lowercase hex: first 16 hex digits of SHA-256(X.509 public key)
 * 72+n signature  64 bytes Ed25519 over bytes [0, 72+n)
 * format 2 signed (the signature stands in for the full digest):
 * 24+n sha256     first 8 bytes of the SHA-256 of bytes [0, 24+n)
 * 32+n key id     8 bytes: the same key id as raw bytes
 * 40+n signature  64 bytes Ed25519 over bytes [0, 40+n)
 * </pre>
 * {@link #open} checks size caps, layout, hash and signature before a single payload byte is
 * parsed. The short digest of a signed compact file still catches corruption when the signing key
 * is not at hand to verify. Stateless and thread-safe.
 */
public final class PolicyEnvelope {

    static final byte[] MAGIC = {(byte) 0x89, 'C', 'P', 'O', 'L', 0x0D, 0x0A, 0x1A};
    /** The format version of a {@link PolicyEncoding#FULL} file. */
    public static final int FORMAT_VERSION = 1;
    public static final int HEADER_BYTES = 24;
    public static final int SHA256_BYTES = 32;
    public static final int KEY_ID_BYTES = 16;
    public static final int SIGNATURE_BYTES = 64;
    public static final int MAX_PAYLOAD_BYTES = 4 << 20;
    public static final int MAX_FILE_BYTES = MAX_PAYLOAD_BYTES + HEADER_BYTES + SHA256_BYTES + KEY_ID_BYTES + SIGNATURE_BYTES;
    /** Bytes of the SHA-256 a signed compact file keeps. */
    public static final int COMPACT_SHA256_BYTES = 8;
    /** Bytes of the raw key id of a signed compact file. */
    public static final int COMPACT_KEY_ID_BYTES = KEY_ID_BYTES / 2;
    static final int FLAG_SIGNED = 1;

    private PolicyEnvelope() {
    }

    /** The envelope facts of a file whose integrity (and signature, when checked) held. */
    public record OpenedPolicy(byte[] payload, String sha256Hex, long policyVersion, String keyId,
                               boolean signed, boolean verified, PolicyEncoding encoding) {
    }

    /** An unsigned file around a {@link PolicyEncoding#FULL} {@code payload}. */
    public static byte[] seal(byte[] payload, long policyVersion) {
        return seal(payload, policyVersion, PolicyEncoding.FULL);
    }

    /** An unsigned file around {@code payload}, which is in {@code encoding}. */
    public static byte[] seal(byte[] payload, long policyVersion, PolicyEncoding encoding) {
        checkSealArgs(payload, policyVersion);
        byte[] file = new byte[HEADER_BYTES + payload.length + SHA256_BYTES];
        writeHeaderAndPayload(file, payload, policyVersion, encoding, 0);
        System.arraycopy(sha256(file, 0, HEADER_BYTES + payload.length), 0, file, HEADER_BYTES + payload.length, SHA256_BYTES);
        return file;
    }

    /** The length of a file around an {@code n}-byte payload. */
    public static int fileBytes(int n, PolicyEncoding encoding, boolean signed) {
        return HEADER_BYTES + n + trailerBytes(encoding, signed);
    }

    private static int trailerBytes(PolicyEncoding encoding, boolean signed) {
        if (!signed) {
            return SHA256_BYTES;
        }
        return encoding == PolicyEncoding.FULL ? SHA256_BYTES + KEY_ID_BYTES + SIGNATURE_BYTES
                : COMPACT_SHA256_BYTES + COMPACT_KEY_ID_BYTES + SIGNATURE_BYTES;
    }

    /**
     * A signed copy of {@code file} (signed or not; its integrity is checked first) carrying
     * {@code policyVersion}, in the file's own encoding. {@code keyId} must be {@link PolicyKeys#keyId}
     * of the matching public key.
     */
    public static byte[] sign(byte[] file, PrivateKey key, String keyId, long policyVersion) throws PolicyFormatException {
        OpenedPolicy opened = open(file, TrustedKeys.none(), false);
        byte[] payload = opened.payload();
        PolicyEncoding encoding = opened.encoding();
        checkSealArgs(payload, policyVersion);
        if (keyId == null || !keyId.matches("[0-9a-f]{" + KEY_ID_BYTES + "}")) {
            throw new PolicyFormatException("key_id", "must be " + KEY_ID_BYTES + " lowercase hex digits");
        }
        int n = payload.length;
        byte[] out = new byte[fileBytes(n, encoding, true)];
        writeHeaderAndPayload(out, payload, policyVersion, encoding, FLAG_SIGNED);
        byte[] digest = sha256(out, 0, HEADER_BYTES + n);
        int at = HEADER_BYTES + n;
        if (encoding == PolicyEncoding.FULL) {
            System.arraycopy(digest, 0, out, at, SHA256_BYTES);
            System.arraycopy(keyId.getBytes(StandardCharsets.US_ASCII), 0, out, at + SHA256_BYTES, KEY_ID_BYTES);
        } else {
            System.arraycopy(digest, 0, out, at, COMPACT_SHA256_BYTES);
            System.arraycopy(HexFormat.of().parseHex(keyId), 0, out, at + COMPACT_SHA256_BYTES, COMPACT_KEY_ID_BYTES);
        }
        int signedLength = out.length - SIGNATURE_BYTES;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(out, 0, signedLength);
            System.arraycopy(s.sign(), 0, out, signedLength, SIGNATURE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new PolicyFormatException("signing_key", "cannot sign with this key: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Checks the envelope and returns its payload. A signature by a key in {@code trust} must
     * verify; a signature by an unknown key is accepted unverified unless {@code requireSignature};
     * an unsigned file is rejected when {@code requireSignature}.
     */
    public static OpenedPolicy open(byte[] file, TrustedKeys trust, boolean requireSignature) throws PolicyFormatException {
        if (file != null && file.length >= MAGIC.length && !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new PolicyFormatException("magic", "not a .cpol policy file");
        }
        if (file == null || file.length < HEADER_BYTES + SHA256_BYTES) {
            throw new PolicyFormatException("file", "too short for a policy file (" + (file == null ? 0 : file.length) + " bytes)");
        }
        if (file.length > MAX_FILE_BYTES) {
            throw new PolicyFormatException("file", "larger than the cap of " + MAX_FILE_BYTES + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(file, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int format = h.getShort(8) & 0xFFFF;
        PolicyEncoding encoding = PolicyEncoding.ofFormatVersion(format);
        if (encoding == null) {
            throw new PolicyFormatException("format_version", "unsupported " + format + " (this runtime reads "
                    + PolicyEncoding.FULL.formatVersion() + " and " + PolicyEncoding.COMPACT.formatVersion() + ")");
        }
        int flags = h.getShort(10) & 0xFFFF;
        if ((flags & ~FLAG_SIGNED) != 0) {
            throw new PolicyFormatException("flags", "unknown flag bits 0x" + Integer.toHexString(flags));
        }
        boolean signed = (flags & FLAG_SIGNED) != 0;
        long version = h.getLong(12);
        if (version < 0) {
            throw new PolicyFormatException("policy_version", "must be >= 0, was " + version);
        }
        long n = h.getInt(20) & 0xFFFFFFFFL;
        if (n > MAX_PAYLOAD_BYTES) {
            throw new PolicyFormatException("payload_length", n + " exceeds the cap of " + MAX_PAYLOAD_BYTES);
        }
        long expected = HEADER_BYTES + n + trailerBytes(encoding, signed);
        if (file.length != expected) {
            throw new PolicyFormatException("file_length", "is " + file.length + " bytes, the header says " + expected
                    + (file.length < expected ? " (truncated)" : " (trailing bytes)"));
        }
        int end = HEADER_BYTES + (int) n;
        byte[] digest = sha256(file, 0, end);
        int digestBytes = encoding == PolicyEncoding.COMPACT && signed ? COMPACT_SHA256_BYTES : SHA256_BYTES;
        if (!MessageDigest.isEqual(Arrays.copyOf(digest, digestBytes), Arrays.copyOfRange(file, end, end + digestBytes))) {
            throw new PolicyFormatException("sha256", "payload hash mismatch (file corrupted)");
        }
        String keyId = null;
        boolean verified = false;
        if (signed) {
            int idAt = end + digestBytes;
            int idBytes;
            if (encoding == PolicyEncoding.FULL) {
                idBytes = KEY_ID_BYTES;
                keyId = new String(file, idAt, KEY_ID_BYTES, StandardCharsets.US_ASCII);
                if (!keyId.matches("[0-9a-f]{" + KEY_ID_BYTES + "}")) {
                    throw new PolicyFormatException("key_id", "not " + KEY_ID_BYTES + " lowercase hex digits");
                }
            } else {
                idBytes = COMPACT_KEY_ID_BYTES;
                keyId = HexFormat.of().formatHex(file, idAt, idAt + COMPACT_KEY_ID_BYTES);
            }
            PublicKey pub = trust == null ? null : trust.get(keyId);
            if (pub != null) {
                verify(file, idAt + idBytes, pub, keyId);
                verified = true;
            } else if (requireSignature) {
                throw new PolicyFormatException("key_id", "signing key " + keyId + " is not trusted");
            }
        } else if (requireSignature) {
            throw new PolicyFormatException("signature", "missing (a signed policy is required)");
        }
        return new OpenedPolicy(Arrays.copyOfRange(file, HEADER_BYTES, end), HexFormat.of().formatHex(digest),
                version, keyId, signed, verified, encoding);
    }

    private static void verify(byte[] file, int signedLength, PublicKey pub, String keyId) throws PolicyFormatException {
        boolean ok;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pub);
            s.update(file, 0, signedLength);
            ok = s.verify(file, signedLength, SIGNATURE_BYTES);
        } catch (GeneralSecurityException | RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            throw new PolicyFormatException("signature", "does not verify with trusted key " + keyId);
        }
    }

    private static void checkSealArgs(byte[] payload, long policyVersion) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the cap " + MAX_PAYLOAD_BYTES);
        }
        if (policyVersion < 0) {
            throw new IllegalArgumentException("policyVersion must be >= 0");
        }
    }

    private static void writeHeaderAndPayload(byte[] out, byte[] payload, long version, PolicyEncoding encoding, int flags) {
        ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC);
        h.putShort((short) encoding.formatVersion());
        h.putShort((short) flags);
        h.putLong(version);
        h.putInt(payload.length);
        h.put(payload);
    }

    static byte[] sha256(byte[] data, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, from, to - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
