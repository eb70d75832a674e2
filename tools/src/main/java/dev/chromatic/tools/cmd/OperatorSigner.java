package dev.chromatic.tools.cmd;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.function.LongSupplier;

/**
 * Signs operator commands for one robot with one key. The counter is the wall clock in
 * microseconds, raised past the last one used, so it increases across runs of the CLI without a
 * state file (the robot refuses any counter not above the last it accepted from the key). Thread-safe.
 */
public final class OperatorSigner {

    private final PrivateKey key;
    private final String keyId;
    private final String robotId;
    private final LongSupplier micros;
    private long last;

    public OperatorSigner(PrivateKey key, String keyId, String robotId, LongSupplier micros) {
        this.key = key;
        this.keyId = keyId;
        this.robotId = robotId;
        this.micros = micros;
    }

    /** A signer from a key pair in memory (the demo's own operator). */
    public static OperatorSigner of(KeyPair keys, String robotId) {
        return new OperatorSigner(keys.getPrivate(), PolicyKeys.keyId(keys.getPublic()), robotId,
                () -> System.currentTimeMillis() * 1000L);
    }

    /**
     * Loads {@code keyFile} (a {@code .key} from {@code chromatic keygen}) and its public half
     * ({@code pubFile}, default: the same name with {@code .pub}) for the key id.
     */
    public static OperatorSigner load(Path keyFile, Path pubFile, String robotId) {
        Path pub = pubFile != null ? pubFile : sibling(keyFile);
        if (!Files.isRegularFile(keyFile)) {
            throw new BadInputException("--key " + keyFile + " not found");
        }
        if (!Files.isRegularFile(pub)) {
            throw new BadInputException("public key " + pub + " not found (give it with --pub)");
        }
        try {
            PrivateKey priv = PolicyKeys.loadPrivate(keyFile);
            PublicKey p = PolicyKeys.loadPublic(pub);
            return new OperatorSigner(priv, PolicyKeys.keyId(p), robotId, () -> System.currentTimeMillis() * 1000L);
        } catch (IOException | PolicyFormatException e) {
            throw new BadInputException("--key: " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path key) {
        String name = key.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return key.resolveSibling(base + ".pub");
    }

    /** The next counter: now in microseconds, or one more than the last. */
    public synchronized long nextCounter() {
        last = Math.max(last + 1, micros.getAsLong());
        return last;
    }

    /** Signs {@code kind} with the next counter; returns the JSON text and the counter used. */
    public Signed sign(CommandKind kind) {
        long ctr = nextCounter();
        return new Signed(SignedCommand.sign(key, keyId, robotId, ctr, kind, 0), ctr);
    }

    public String keyId() {
        return keyId;
    }

    /** A signed command: its JSON text and counter. */
    public record Signed(String json, long counter) {
    }
}
