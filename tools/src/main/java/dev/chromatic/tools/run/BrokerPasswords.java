package dev.chromatic.tools.run;

import io.moquette.broker.security.IAuthenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The embedded broker's password file, in Moquette's format: one {@code user:sha256hex} line per
 * user (the SHA-256 of the UTF-8 password, 64 hex digits), {@code #} comment lines and blank lines.
 * Read and checked whole before the broker starts: a bad line stops the start naming the line
 * (Moquette's own reader only logs a warning and keeps the users before it). A client must give a
 * listed user name and the matching password; hashes are compared in constant time.
 */
public final class BrokerPasswords implements IAuthenticator {

    /** Most users a file may list; a password file is for a handful of robots and operators. */
    public static final int MAX_USERS = 10_000;

    private final Map<String, byte[]> sha256ByUser;

    private BrokerPasswords(Map<String, byte[]> sha256ByUser) {
        this.sha256ByUser = sha256ByUser;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws IOException when it cannot be read, or naming the first bad line
     */
    public static BrokerPasswords load(Path file) throws IOException {
        if (Files.size(file) > 4L << 20) {
            throw new IOException(file + ": larger than 4 MiB, not a password file");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, byte[]> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException(where + "expected user:sha256hex");
            }
            String user = line.substring(0, colon).strip();
            String hash = line.substring(colon + 1).strip().toLowerCase(java.util.Locale.ROOT);
            if (user.isEmpty() || user.length() > 256) {
                throw new IOException(where + "the user name must be 1..256 characters");
            }
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IOException(where + "the password hash of " + user + " must be 64 hex digits (SHA-256), "
                        + "e.g. printf %s 'PASSWORD' | sha256sum");
            }
            if (users.put(user, HexFormat.of().parseHex(hash)) != null) {
                throw new IOException(where + "user " + user + " is listed twice");
            }
            if (users.size() > MAX_USERS) {
                throw new IOException(where + "more than " + MAX_USERS + " users");
            }
        }
        if (users.isEmpty()) {
            throw new IOException(file + ": lists no user (user:sha256hex lines), so nobody could connect");
        }
        return new BrokerPasswords(users);
    }

    /** Users listed. */
    public int size() {
        return sha256ByUser.size();
    }

    /** The file line for {@code user} with {@code password} (for tests and for writing a file). */
    public static String line(String user, String password) {
        return user + ":" + HexFormat.of().formatHex(sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        byte[] expected = sha256ByUser.get(username);
        return expected != null && MessageDigest.isEqual(expected, sha256(password));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
