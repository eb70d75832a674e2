package dev.chromatic.runtime.operator;

import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Ed25519 public keys a robot accepts commands from, by key id: the {@code *.pub} files made by
 * {@code chromatic keygen} in the {@code cmd.operator_keys} folder. Trusted separately from the
 * policy-signing keys. Immutable.
 */
public final class OperatorKeys {

    private static final OperatorKeys NONE = new OperatorKeys(Map.of());

    private final Map<String, PublicKey> byId;

    private OperatorKeys(Map<String, PublicKey> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    /** No operator: only {@code estop} is accepted. */
    public static OperatorKeys none() {
        return NONE;
    }

    public static OperatorKeys of(PublicKey... keys) {
        Map<String, PublicKey> m = new TreeMap<>();
        for (PublicKey k : keys) {
            m.put(PolicyKeys.keyId(k), k);
        }
        return new OperatorKeys(m);
    }

    /**
     * Every {@code *.pub} file of {@code dir}; a bad {@code .pub} file fails the load (naming it),
     * other files are reported to {@code warnings} and ignored (hidden files silently).
     */
    public static OperatorKeys fromDirectory(Path dir, Consumer<String> warnings) throws IOException, PolicyFormatException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("operator keys: not a folder: " + dir);
        }
        Map<String, PublicKey> m = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!name.endsWith(".pub") || !Files.isRegularFile(f)) {
                    warnings.accept("operator keys: ignoring " + f + " (not a *.pub key file)");
                    continue;
                }
                PublicKey k = PolicyKeys.loadPublic(f);
                m.put(PolicyKeys.keyId(k), k);
            }
        }
        return new OperatorKeys(m);
    }

    /** The key with this id, or null. */
    public PublicKey get(String keyId) {
        return byId.get(keyId);
    }

    public Set<String> keyIds() {
        return byId.keySet();
    }

    public int size() {
        return byId.size();
    }
}
