package dev.chromatic.runtime.app;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Controller;
import java.io.IOException;
import java.nio.file.Path;

/** Turns a {@code .cpol} file into a controller the loop can run (fixed-point mailman inference). */
public final class PolicyLoader {

    private PolicyLoader() {
    }

    /** A loaded policy and the controller built from it. */
    public record Loaded(LoadedPolicy file, InstalledPolicy installed) {
    }

    /**
     * Reads, checks and builds. {@code verified} (needed to arm) means the envelope's SHA-256 matched
     * and, when {@code requireSignature}, the signature was checked against a trusted key.
     *
     * @throws PolicyFormatException naming what is wrong with the file (or the stack it asks for)
     */
    public static Loaded load(Path file, TrustedKeys trust, boolean requireSignature, RobotSpec spec)
            throws IOException, PolicyFormatException {
        LoadedPolicy lp = PolicyFiles.load(file, trust, requireSignature);
        Controller controller;
        try {
            controller = Controller.of(lp.policy(), MailmanNetwork.of(lp.policy()), spec);
        } catch (IllegalArgumentException e) {
            throw new PolicyFormatException("stack", e.getMessage(), e);
        }
        boolean verified = !requireSignature || lp.verified();
        return new Loaded(lp, new InstalledPolicy(controller, lp.sha256Hex(), lp.policyVersion(), verified,
                lp.policy().controlPeriodNs()));
    }
}
