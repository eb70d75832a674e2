package dev.chromatic.runtime.policy;

/**
 * The two payload encodings of a {@code .cpol} file, told apart by the envelope's format version.
 * {@link #FULL}: FlatBuffers, float64 numbers, metadata inside. {@link #COMPACT}: a fixed byte
 * layout with float32 numbers and mixed-radix colors, metadata in a sidecar file, and a shorter
 * signed trailer. See docs/policy-format.md.
 */
public enum PolicyEncoding {
    FULL(1),
    COMPACT(2);

    private final int formatVersion;

    PolicyEncoding(int formatVersion) {
        this.formatVersion = formatVersion;
    }

    /** The envelope's format version for this encoding. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The encoding of {@code formatVersion}, or null when this runtime does not read it. */
    public static PolicyEncoding ofFormatVersion(int formatVersion) {
        for (PolicyEncoding e : values()) {
            if (e.formatVersion == formatVersion) {
                return e;
            }
        }
        return null;
    }
}
