package dev.chromatic.tools.mcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/** How MCAP chunk records are compressed: the spec's well-known {@code ""}, {@code zstd} and {@code lz4} (LZ4 frame format). */
public enum Compression {
    NONE("", "none") {
        @Override
        byte[] compress(byte[] data, int length) {
            return Arrays.copyOf(data, length);
        }
    },
    ZSTD("zstd", "zstd") {
        @Override
        byte[] compress(byte[] data, int length) {
            // one zstd frame with the content size in its header
            return com.github.luben.zstd.Zstd.compress(Arrays.copyOf(data, length), 3);
        }
    },
    LZ4("lz4", "lz4") {
        @Override
        byte[] compress(byte[] data, int length) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
            try (net.jpountz.lz4.LZ4FrameOutputStream lz4 = new net.jpountz.lz4.LZ4FrameOutputStream(out)) {
                lz4.write(data, 0, length);
            }
            return out.toByteArray();
        }
    };

    private final String wireName;
    private final String optionName;

    Compression(String wireName, String optionName) {
        this.wireName = wireName;
        this.optionName = optionName;
    }

    /** The value of the Chunk record's {@code compression} field. */
    public String wireName() {
        return wireName;
    }

    /** The name on the command line. */
    public String optionName() {
        return optionName;
    }

    abstract byte[] compress(byte[] data, int length) throws IOException;

    /** {@code none}, {@code zstd} or {@code lz4}; IllegalArgumentException naming the choices otherwise. */
    public static Compression of(String name) {
        for (Compression c : values()) {
            if (c.optionName.equals(name == null ? "" : name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("--compress must be none, zstd or lz4, was '" + name + "'");
    }
}
