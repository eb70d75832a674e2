package dev.chromatic.runtime.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reading, checking and writing {@code .cpol} files: the envelope is checked (size, hash,
 * signature) before the payload is parsed, and the payload is validated field by field. Writes
 * are atomic (temp file, fsync, rename) so a reader never sees half a policy.
 */
public final class PolicyFiles {

    private PolicyFiles() {
    }

    /** The bytes of a policy file, refusing files over {@link PolicyEnvelope#MAX_FILE_BYTES} before reading them. */
    public static byte[] read(Path file) throws IOException, PolicyFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(PolicyEnvelope.MAX_FILE_BYTES + 1);
            if (bytes.length > PolicyEnvelope.MAX_FILE_BYTES) {
                throw new PolicyFormatException("file", "larger than the cap of " + PolicyEnvelope.MAX_FILE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Checks the envelope, then parses and validates the payload in the encoding the envelope names. */
    public static LoadedPolicy load(byte[] file, TrustedKeys trust, boolean requireSignature) throws PolicyFormatException {
        PolicyEnvelope.OpenedPolicy env = PolicyEnvelope.open(file, trust, requireSignature);
        Policy decoded = env.encoding() == PolicyEncoding.COMPACT
                ? CompactPolicyCodec.decode(env.payload()) : PolicyCodec.decode(env.payload());
        Policy.Builder b = decoded.toBuilder();
        b.version = env.policyVersion();
        return new LoadedPolicy(b.build(), env.sha256Hex(), env.policyVersion(), env.keyId(), env.signed(),
                env.verified(), file.length, env.encoding());
    }

    /** {@link #read} then {@link #load}. */
    public static LoadedPolicy load(Path file, TrustedKeys trust, boolean requireSignature)
            throws IOException, PolicyFormatException {
        return load(read(file), trust, requireSignature);
    }

    /** Writes {@code policy} as an unsigned full file carrying its version. */
    public static void write(Path file, Policy policy) throws IOException {
        writeBytes(file, PolicyEnvelope.seal(PolicyCodec.encode(policy), policy.version()));
    }

    /**
     * Writes {@code policy} as an unsigned file in {@code encoding} carrying its version. A compact
     * file leaves the metadata out (write it with {@link PolicySidecar#write}).
     *
     * @throws PolicyFormatException when compact and a number is not a float32 value
     */
    public static void write(Path file, Policy policy, PolicyEncoding encoding) throws IOException, PolicyFormatException {
        writeBytes(file, encode(policy, encoding));
    }

    /** The bytes of an unsigned file of {@code policy} in {@code encoding}. */
    public static byte[] encode(Policy policy, PolicyEncoding encoding) throws PolicyFormatException {
        byte[] payload = encoding == PolicyEncoding.COMPACT ? CompactPolicyCodec.encode(policy) : PolicyCodec.encode(policy);
        return PolicyEnvelope.seal(payload, policy.version(), encoding);
    }

    /** Atomically replaces {@code file} with {@code bytes}: temp file in the same folder, fsync, rename. */
    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename itself is still atomic
        }
    }
}
