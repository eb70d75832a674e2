package dev.chromatic.tools.flash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small shared pieces of the flash commands: file digests and MQTT topic names. */
final class FlashFiles {

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
    static String topic(String robotId, String leaf) {
        return "chromatic/" + robotId + "/" + leaf;
    }
}
