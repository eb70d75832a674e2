package dev.chromatic.runtime.operator;

import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import java.io.IOException;
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
        return new OperatorKeys(PolicyKeys.byId(keys));
    }

    /**
     * Every {@code *.pub} file of {@code dir}; a bad {@code .pub} file fails the load (naming it),
     * other files are reported to {@code warnings} and ignored (hidden files silently).
     */
    public static OperatorKeys fromDirectory(Path dir, Consumer<String> warnings) throws IOException, PolicyFormatException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("operator keys: not a folder: " + dir);
        }
        return new OperatorKeys(PolicyKeys.loadDirectory(dir,
                f -> warnings.accept("operator keys: ignoring " + f + " (not a *.pub key file)")));
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
