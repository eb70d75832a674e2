package dev.chromatic.tools.flash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Small shared pieces of the flash commands: file digests, robot ids and MQTT topic names. */
final class FlashFiles {

    private static final Pattern ROBOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private FlashFiles() {
    }

    /** SHA-256 of the whole file, as {@code sha256sum} prints it; the robot reports the same digest. */
    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Returns {@code id} when it is a valid robot id (letters, digits, '-', '_'), else throws. */
    static String robotId(String id) {
        if (id == null || !ROBOT_ID.matcher(id).matches()) {
            throw new dev.chromatic.tools.BadInputException("--robot '" + id + "' must be 1-64 letters, digits, '-' or '_'");
        }
        return id;
    }

    static String topic(String robotId, String leaf) {
        return "chromatic/" + robotId + "/" + leaf;
    }
}
