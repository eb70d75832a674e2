package dev.chromatic.runtime.operator;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * An operator command as it travels on {@code chromatic/<id>/cmd}:
 * {@code {"robot":ID,"key":KEYID,"ctr":N,"cmd":NAME[,"hz":H],"sig":BASE64}}. The signature is
 * Ed25519 over {@link #signedBytes()}, the fields joined by newlines behind a domain tag, so a
 * signature for one robot, key, counter or command is worth nothing for another, and no JSON
 * canonicalisation is needed. See docs/mqtt.md.
 *
 * @param hz the rate of a {@code set-rate}, 0 for every other command
 */
public record SignedCommand(String robotId, String keyId, long counter, CommandKind kind, int hz, byte[] signature) {

    /** Prefix of the signed text; a new format gets a new tag. */
    public static final String DOMAIN = "chromatic-cmd/1";

    /** Largest counter (2^53 - 1: exact in every JSON reader). */
    public static final long MAX_COUNTER = (1L << 53) - 1;

    /** Ed25519 signatures are 64 bytes. */
    public static final int SIGNATURE_BYTES = 64;

    /** The bytes the signature covers. */
    public byte[] signedBytes() {
        return signedBytes(robotId, keyId, counter, kind, hz);
    }

    static byte[] signedBytes(String robotId, String keyId, long counter, CommandKind kind, int hz) {
        String text = DOMAIN + "\n" + robotId + "\n" + keyId + "\n" + counter + "\n" + kind.wireName() + "\n"
                + (kind == CommandKind.SET_RATE ? Integer.toString(hz) : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the signature is {@code key}'s over {@link #signedBytes()}. Off the loop thread (slow). */
    public boolean verify(PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedBytes());
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Signs a command and returns its JSON text.
     *
     * @param hz the rate for {@code set-rate}, ignored otherwise
     */
    public static String sign(PrivateKey key, String keyId, String robotId, long counter, CommandKind kind, int hz) {
        if (kind == CommandKind.ESTOP) {
            throw new IllegalArgumentException("an estop is not signed: send {\"cmd\":\"estop\"}");
        }
        if (counter < 1 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("counter must be in 1.." + MAX_COUNTER + ", was " + counter);
        }
        byte[] sig;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(signedBytes(robotId, keyId, counter, kind, hz));
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        JsonWriter w = new JsonWriter().put("robot", robotId).put("key", keyId).put("ctr", counter)
                .put("cmd", kind.wireName());
        if (kind == CommandKind.SET_RATE) {
            w.put("hz", hz);
        }
        return w.put("sig", Base64.getEncoder().encodeToString(sig)).end();
    }

    /** The unsigned E-stop every client may send. */
    public static String estop() {
        return "{\"cmd\":\"estop\"}";
    }
}
