package dev.chromatic.runtime.update;

/**
 * One stored, verified policy file: the slot it lives in ({@code a} or {@code b}), the SHA-256 of
 * the whole file (as {@code sha256sum} prints it) and its policy version.
 */
public record PolicySlot(String name, String sha256Hex, long version) {
}
