package dev.chromatic.runtime.policy;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata of a compact policy file (trainer settings, seed, rewards, provenance), kept next to
 * it as {@code FILE.cpol.json}: {@code {"payload_sha256": "...", "metadata": {"key": "value", ...}}}.
 * The digest is the SHA-256 of the policy payload, which signing does not change, so a sidecar
 * stays with its policy through {@code chromatic sign} and is recognised as another policy's when
 * the payload differs. Tools read it; the robot never needs it.
 */
public record PolicySidecar(String payloadSha256, Map<String, String> metadata) {

    /** Longest sidecar read, in characters. */
    public static final int MAX_CHARS = 2 << 20;

    public PolicySidecar {
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** {@code FILE.cpol.json} next to {@code policyFile}. */
    public static Path pathOf(Path policyFile) {
        return policyFile.resolveSibling(policyFile.getFileName() + ".json");
    }

    /** The sidecar of a compact file holding {@code policy}: its payload's digest and its metadata. */
    public static PolicySidecar of(Policy policy) throws PolicyFormatException {
        return new PolicySidecar(sha256Hex(CompactPolicyCodec.encode(policy)), policy.metadata());
    }

    /** Writes the sidecar of {@code policy} next to {@code policyFile} (atomically). */
    public static Path write(Path policyFile, Policy policy) throws IOException, PolicyFormatException {
        Path target = pathOf(policyFile);
        PolicyFiles.writeBytes(target, of(policy).toJson().getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /** The sidecar next to {@code policyFile}, or null when there is none. */
    public static PolicySidecar readNextTo(Path policyFile) throws IOException, PolicyFormatException {
        Path file = pathOf(policyFile);
        return Files.isRegularFile(file) ? read(file) : null;
    }

    /** Reads a sidecar file; a malformed one is a {@link PolicyFormatException} on field {@code sidecar}. */
    public static PolicySidecar read(Path file) throws IOException, PolicyFormatException {
        if (Files.size(file) > MAX_CHARS * 4L) {
            throw new PolicyFormatException("sidecar", file.getFileName() + " is larger than " + MAX_CHARS + " characters");
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8), MAX_CHARS);
        } catch (JsonFormatException | java.nio.charset.MalformedInputException e) {
            throw new PolicyFormatException("sidecar", file.getFileName() + " is not JSON: " + e.getMessage());
        }
        if (!(root.get("payload_sha256") instanceof String sha) || !sha.matches("[0-9a-f]{64}")) {
            throw new PolicyFormatException("sidecar", file.getFileName() + " has no payload_sha256 of 64 hex digits");
        }
        if (!(root.get("metadata") instanceof Map<?, ?> m)) {
            throw new PolicyFormatException("sidecar", file.getFileName() + " has no metadata object");
        }
        Map<String, String> metadata = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw new PolicyFormatException("sidecar", "metadata " + e.getKey() + " is not a string");
            }
            metadata.put((String) e.getKey(), v);
        }
        return new PolicySidecar(sha, metadata);
    }

    /**
     * The policy of a loaded file with its metadata, for workstation tools (the robot needs none):
     * a full file's own; a compact file's from the sidecar next to it when that describes it, else
     * none.
     */
    public static Policy withMetadata(Path policyFile, byte[] file, LoadedPolicy loaded) throws IOException, PolicyFormatException {
        if (loaded.encoding() != PolicyEncoding.COMPACT) {
            return loaded.policy();
        }
        PolicySidecar sidecar = readNextTo(policyFile);
        if (sidecar == null || !sidecar.describes(file)) {
            return loaded.policy();
        }
        Policy.Builder b = loaded.policy().toBuilder();
        b.metadata.putAll(sidecar.metadata());
        return b.build();
    }

    /** Reads and checks a policy file (no signature required) and returns its policy with its metadata ({@link #withMetadata}). */
    public static Policy loadWithMetadata(Path policyFile) throws IOException, PolicyFormatException {
        byte[] bytes = PolicyFiles.read(policyFile);
        return withMetadata(policyFile, bytes, PolicyFiles.load(bytes, TrustedKeys.none(), false));
    }

    /** Whether this sidecar describes the policy in {@code file} (a checked policy file's bytes). */
    public boolean describes(byte[] file) throws PolicyFormatException {
        return payloadSha256.equals(sha256Hex(PolicyEnvelope.open(file, TrustedKeys.none(), false).payload()));
    }

    /** The file's text: one key per line, metadata sorted. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n  \"payload_sha256\": ");
        Json.quote(sb, payloadSha256).append(",\n  \"metadata\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            sb.append(first ? "\n    " : ",\n    ");
            first = false;
            Json.quote(sb, e.getKey()).append(": ");
            Json.quote(sb, e.getValue());
        }
        return sb.append(first ? "}\n}\n" : "\n  }\n}\n").toString();
    }

    private static String sha256Hex(byte[] payload) {
        return HexFormat.of().formatHex(PolicyEnvelope.sha256(payload, 0, payload.length));
    }
}
