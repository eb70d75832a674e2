package dev.chromatic.runtime.update;

import dev.chromatic.runtime.policy.PolicyFormatException;

/**
 * Checks a policy file's integrity and authenticity (size, SHA-256, signature against the trusted
 * keys) without trusting its contents, and returns the policy version it carries. The store calls
 * it before accepting a file and again on every slot at start-up. Must be thread-safe.
 */
@FunctionalInterface
public interface PolicyFileVerifier {

    /** Returns the file's policy version, or throws naming the check that failed. */
    long verifiedVersion(byte[] file) throws PolicyFormatException;
}
