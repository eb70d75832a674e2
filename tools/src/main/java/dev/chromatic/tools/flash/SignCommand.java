package dev.chromatic.tools.flash;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chromatic sign}: signs a policy file with a version, for flashing to robots that trust the key. */
@Command(name = "sign",
        description = {"Signs FILE.cpol (full or compact; it stays what it is) with an Ed25519 key and stamps a policy version",
                "(replacing any earlier signature); with --out, a compact file's metadata sidecar FILE.cpol.json is copied along.",
                "Robots accept only versions newer than the one they run; the default version is the signing time in",
                "seconds since 1970, which grows by itself."})
public final class SignCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--key", required = true, paramLabel = "K", description = "Private key file (<keyid>.key from 'chromatic keygen').")
    Path key;

    @Option(names = "--pub", paramLabel = "P", description = "Matching public key (default: K with the suffix .pub).")
    Path pub;

    @Option(names = "--version", paramLabel = "N", description = "Policy version to stamp (>= 1; default: now in epoch seconds).")
    Long version;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "Write here instead of replacing FILE.")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "FILE.cpol", description = "The policy file to sign.")
    Path file;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, PolicyFormatException {
        long v = version != null ? version : clock.instant().getEpochSecond();
        if (v < 1) {
            throw new BadInputException("--version must be >= 1, was " + v);
        }
        Path pubFile = pub != null ? pub : siblingPub(key);
        if (!Files.isRegularFile(key)) {
            throw new BadInputException("private key " + key + " not found");
        }
        if (!Files.isRegularFile(pubFile)) {
            throw new BadInputException("public key " + pubFile + " not found (give it with --pub)");
        }
        PrivateKey privateKey = PolicyKeys.loadPrivate(key);
        PublicKey publicKey = PolicyKeys.loadPublic(pubFile);
        String keyId = PolicyKeys.keyId(publicKey);
        byte[] original = PolicyFiles.read(file);
        PolicyFiles.load(original, TrustedKeys.none(), false);
        byte[] signed = PolicyEnvelope.sign(original, privateKey, keyId, v);
        try {
            PolicyEnvelope.open(signed, TrustedKeys.of(publicKey), true);
        } catch (PolicyFormatException e) {
            throw new BadInputException("private key " + key + " does not match public key " + pubFile);
        }
        Path target = out != null ? out : file;
        PolicyFiles.writeBytes(target, signed);
        // a compact file's metadata sidecar describes the payload, which signing keeps: it goes along
        Path sidecar = PolicySidecar.pathOf(file);
        if (out != null && Files.isRegularFile(sidecar) && !PolicySidecar.pathOf(target).equals(sidecar)) {
            PolicyFiles.writeBytes(PolicySidecar.pathOf(target), Files.readAllBytes(sidecar));
        }
        String sha = FlashFiles.sha256Hex(signed);
        if (json) {
            System.out.println(new JsonWriter().put("file", target.toString()).put("version", v).put("key_id", keyId)
                    .put("sha256", sha).put("bytes", signed.length).end());
        } else {
            System.out.println("signed " + target + ": version " + v + ", key " + keyId + ", sha256 " + sha
                    + ", " + signed.length + " bytes");
        }
        return 0;
    }

    private static Path siblingPub(Path key) {
        String name = key.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return key.resolveSibling(base + ".pub");
    }
}
