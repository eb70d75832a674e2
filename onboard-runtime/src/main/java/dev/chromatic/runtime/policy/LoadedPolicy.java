package dev.chromatic.runtime.policy;

/**
 * A policy read from a {@code .cpol} file with the envelope facts: the policy's version is the
 * envelope's; {@code keyId} is null for an unsigned file; {@code verified} says the signature was
 * checked against a trusted key; {@code encoding} is the payload's (full or compact). A compact
 * file carries no metadata: the policy's is empty (it lives in the sidecar, {@link PolicySidecar}).
 */
public record LoadedPolicy(Policy policy, String sha256Hex, long policyVersion, String keyId,
                           boolean signed, boolean verified, int fileBytes, PolicyEncoding encoding) {
}
