package dev.chromatic.tools.flash;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic keygen}: a new Ed25519 signing key pair, named by its key id. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Creates an Ed25519 policy-signing key pair in DIR: <keyid>.key (private, PKCS#8 PEM, owner-only)",
                "and <keyid>.pub (public, X.509 PEM). Copy the .pub file into the robot's trusted-keys folder."})
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key files (created if missing).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + " is not a folder");
        }
        Files.createDirectories(out);
        KeyPair keys = PolicyKeys.generate();
        String id = PolicyKeys.keyId(keys.getPublic());
        Path priv = out.resolve(id + ".key");
        Path pub = out.resolve(id + ".pub");
        try {
            try {
                Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(priv);
            }
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("key file " + priv + " already exists");
        }
        PolicyKeys.savePrivate(priv, keys.getPrivate());
        PolicyKeys.savePublic(pub, keys.getPublic());
        if (json) {
            System.out.println(new JsonWriter().put("key_id", id)
                    .put("private_key", priv.toString()).put("public_key", pub.toString()).end());
        } else {
            System.out.println("key id      " + id);
            System.out.println("private key " + priv + "  (keep secret; used by 'chromatic sign')");
            System.out.println("public key  " + pub + "  (copy to the robot's trusted-keys folder)");
        }
        return 0;
    }
}
