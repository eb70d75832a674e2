package dev.chromatic.runtime.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The public keys a robot accepts policy signatures from, by key id. Immutable. */
public final class TrustedKeys {

    private static final TrustedKeys NONE = new TrustedKeys(Map.of());

    private final Map<String, PublicKey> byId;

    private TrustedKeys(Map<String, PublicKey> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    public static TrustedKeys none() {
        return NONE;
    }

    public static TrustedKeys of(PublicKey... keys) {
        return new TrustedKeys(PolicyKeys.byId(keys));
    }

    /** Every {@code *.pub} PEM file in {@code dir}; a bad key file fails the whole load; other files are skipped. */
    public static TrustedKeys fromDirectory(Path dir) throws IOException, PolicyFormatException {
        return new TrustedKeys(PolicyKeys.loadDirectory(dir, ignored -> { }));
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
