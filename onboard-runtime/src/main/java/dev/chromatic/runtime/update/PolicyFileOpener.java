package dev.chromatic.runtime.update;

import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.TrustedKeys;

/**
 * Turns received file bytes into a policy: size caps, SHA-256 and signature against the trusted
 * keys are checked before any byte of the payload is parsed, then the payload is decoded and
 * validated. Must be thread-safe.
 */
@FunctionalInterface
public interface PolicyFileOpener {

    LoadedPolicy open(byte[] file) throws PolicyFormatException;

    /** The robot's opener: a signature by one of {@code trust} is required and must verify. */
    static PolicyFileOpener signedBy(TrustedKeys trust) {
        return file -> {
            LoadedPolicy p = PolicyFiles.load(file, trust, true);
            if (!p.verified()) {
                throw new PolicyFormatException("signature", "not verified by a trusted key");
            }
            return p;
        };
    }

    /** The matching {@link PolicyFileVerifier} for the store: the same checks, returning the version. */
    static PolicyFileVerifier verifierFor(PolicyFileOpener opener) {
        return file -> opener.open(file).policyVersion();
    }
}
