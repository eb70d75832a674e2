package dev.chromatic.runtime.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persisted state of a {@link PolicyStore}: which slot is active, which holds the previous
 * policy, and the highest policy version ever installed (the replay and downgrade barrier). Stored
 * as {@code key=value} lines ending in a SHA-256 checksum of the lines before it. Immutable.
 */
record StoreRecord(PolicySlot active, PolicySlot previous, boolean previousRolledBack, long installedVersion) {

    static final StoreRecord EMPTY = new StoreRecord(null, null, false, 0L);

    private static final String FORMAT = "1";

    StoreRecord withoutPrevious() {
        return new StoreRecord(active, null, false, installedVersion);
    }

    byte[] encode() {
        StringBuilder sb = new StringBuilder();
        sb.append("format=").append(FORMAT).append('\n');
        sb.append("installed_version=").append(installedVersion).append('\n');
        appendSlot(sb, "active", active);
        appendSlot(sb, "previous", previous);
        sb.append("previous_rolled_back=").append(previousRolledBack).append('\n');
        String body = sb.toString();
        return (body + "checksum=" + sha256Hex(body.getBytes(StandardCharsets.UTF_8)) + '\n')
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void appendSlot(StringBuilder sb, String key, PolicySlot s) {
        sb.append(key).append('=');
        if (s != null) {
            sb.append(s.name()).append(',').append(s.sha256Hex()).append(',').append(s.version());
        }
        sb.append('\n');
    }

    /** Parses a record; throws naming the problem when it is damaged. */
    static StoreRecord decode(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("checksum=");
        if (at < 0) {
            throw new IOException("store record has no checksum line");
        }
        String body = text.substring(0, at);
        String sum = text.substring(at + "checksum=".length()).trim();
        if (!sum.equals(sha256Hex(body.getBytes(StandardCharsets.UTF_8)))) {
            throw new IOException("store record checksum does not match its contents");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!FORMAT.equals(kv.get("format"))) {
            throw new IOException("store record format " + kv.get("format") + " is not " + FORMAT);
        }
        try {
            return new StoreRecord(
                    parseSlot(kv.get("active")),
                    parseSlot(kv.get("previous")),
                    Boolean.parseBoolean(kv.get("previous_rolled_back")),
                    Long.parseLong(kv.get("installed_version")));
        } catch (RuntimeException e) {
            throw new IOException("store record is malformed: " + e.getMessage(), e);
        }
    }

    /** The redundant copy of the version barrier: one line and a checksum, like the record. */
    static byte[] encodeBarrier(long installedVersion) {
        String body = "format=" + FORMAT + "\ninstalled_version=" + installedVersion + "\n";
        return (body + "checksum=" + sha256Hex(body.getBytes(StandardCharsets.UTF_8)) + '\n')
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a barrier copy; throws naming the problem when it is damaged. */
    static long decodeBarrier(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("checksum=");
        if (at < 0) {
            throw new IOException("barrier copy has no checksum line");
        }
        String body = text.substring(0, at);
        if (!text.substring(at + "checksum=".length()).trim().equals(sha256Hex(body.getBytes(StandardCharsets.UTF_8)))) {
            throw new IOException("barrier copy checksum does not match its contents");
        }
        String prefix = "format=" + FORMAT + "\ninstalled_version=";
        if (!body.startsWith(prefix) || !body.endsWith("\n")) {
            throw new IOException("barrier copy is malformed");
        }
        try {
            long v = Long.parseLong(body.substring(prefix.length(), body.length() - 1));
            if (v < 0) {
                throw new IOException("barrier copy holds a negative version " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("barrier copy is malformed: " + e.getMessage(), e);
        }
    }

    private static PolicySlot parseSlot(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        String[] p = v.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("slot entry '" + v + "' needs name,sha256,version");
        }
        return new PolicySlot(p[0], p[1], Long.parseLong(p[2]));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
