package dev.chromatic.runtime.update;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code policy.*} keys of {@code robot.properties}, validated once at start; a bad value
 * throws {@link IllegalArgumentException} naming the key.
 *
 * <pre>
 * policy.store_dir         folder of the two policy slots and the store record (required)
 * policy.trusted_keys_dir  folder of trusted Ed25519 public keys, *.pub (required, at least one key)
 * policy.stack             controller stack this robot runs (default minitaur-pmtg)
 * policy.health_window_s   armed seconds after a swap in which a safety trip rolls back (default 3)
 * policy.max_file_bytes    largest policy file accepted over the air (default 1048576)
 * </pre>
 */
public record PolicyUpdateSettings(Path storeDir, Path trustedKeysDir, String stackId, long healthWindowNs,
                                   int maxFileBytes) {

    public static final String STORE_DIR = "policy.store_dir";
    public static final String TRUSTED_KEYS_DIR = "policy.trusted_keys_dir";
    public static final String STACK = "policy.stack";
    public static final String HEALTH_WINDOW_S = "policy.health_window_s";
    public static final String MAX_FILE_BYTES = "policy.max_file_bytes";
    /** Every robot.properties key this service reads. */
    public static final Set<String> KEYS = Set.of(STORE_DIR, TRUSTED_KEYS_DIR, STACK, HEALTH_WINDOW_S, MAX_FILE_BYTES);

    public static PolicyUpdateSettings from(Properties p) {
        Path store = path(p, STORE_DIR);
        Path keys = path(p, TRUSTED_KEYS_DIR);
        String stack = p.getProperty(STACK, "minitaur-pmtg").trim();
        if (stack.isEmpty()) {
            throw new IllegalArgumentException(STACK + " must not be empty");
        }
        double windowS = number(p, HEALTH_WINDOW_S, "3");
        if (!(windowS > 0) || windowS > 3600) {
            throw new IllegalArgumentException(HEALTH_WINDOW_S + " must be in (0, 3600] seconds, was " + windowS);
        }
        double maxBytes = number(p, MAX_FILE_BYTES, "1048576");
        if (maxBytes < 64 || maxBytes > (64 << 20) || maxBytes != Math.rint(maxBytes)) {
            throw new IllegalArgumentException(MAX_FILE_BYTES + " must be a whole number in 64..67108864, was " + maxBytes);
        }
        return new PolicyUpdateSettings(store, keys, stack, (long) (windowS * 1e9), (int) maxBytes);
    }

    private static Path path(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " must be set (a folder path)");
        }
        return Path.of(v.trim());
    }

    private static double number(Properties p, String key, String def) {
        String v = p.getProperty(key, def).trim();
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }
}
