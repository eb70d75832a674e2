package dev.chromatic.runtime.operator;

import dev.chromatic.runtime.update.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest accepted command counter of each operator key, kept in a file so that a command
 * replayed after a restart is refused too (as the installed-policy version barrier is). The file
 * ({@code <keyid> <counter>} per line) is replaced atomically (temp file, fsync, rename, fsync of
 * the folder). A file that cannot be read stops the robot at start: silently forgetting counters
 * would re-open every old command to replay. Not thread-safe; used by the command verifier only.
 */
public final class CounterStore {

    private final Path file;
    private final Map<String, Long> persisted = new TreeMap<>();
    private final Map<String, Long> current = new TreeMap<>();

    private CounterStore(Path file) {
        this.file = file;
    }

    /** Counters that live only as long as the process (tools and tests that need no persistence). */
    public static CounterStore inMemory() {
        return new CounterStore(null);
    }

    /** Opens (or starts) the counter file; fails naming the file and line on a corrupt one. */
    public static CounterStore open(Path file) throws IOException {
        CounterStore s = new CounterStore(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IOException("command counter file " + file + ": folder " + dir + " does not exist");
            }
            return s;
        }
        int n = 0;
        for (String line : lines) {
            n++;
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] parts = t.split(" ");
            long ctr;
            try {
                ctr = parts.length == 2 ? Long.parseLong(parts[1]) : -1;
            } catch (NumberFormatException e) {
                ctr = -1;
            }
            if (ctr < 0 || ctr > SignedCommand.MAX_COUNTER || parts[0].isEmpty()) {
                throw new IOException("command counter file " + file + " line " + n + " is corrupt: \"" + t
                        + "\" (delete the file only if no old command can be replayed)");
            }
            s.persisted.put(parts[0], ctr);
            s.current.put(parts[0], ctr);
        }
        return s;
    }

    /** The highest counter accepted from {@code keyId}, 0 when none. */
    public long last(String keyId) {
        return current.getOrDefault(keyId, 0L);
    }

    /** Records {@code counter} in memory only (a heartbeat); {@link #flush} persists it later. */
    public void acceptVolatile(String keyId, long counter) {
        current.put(keyId, counter);
    }

    /** Records {@code counter} and persists it before returning; on failure nothing is recorded. */
    public void acceptDurable(String keyId, long counter) throws IOException {
        Long before = current.put(keyId, counter);
        try {
            flush();
        } catch (IOException e) {
            if (before == null) {
                current.remove(keyId);
            } else {
                current.put(keyId, before);
            }
            throw e;
        }
    }

    /** Persists counters accepted in memory since the last write; no-op when nothing changed. */
    public void flush() throws IOException {
        if (file == null || current.equals(persisted)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : current.entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
        persisted.clear();
        persisted.putAll(current);
    }

    /** The file, or null in memory. */
    public Path file() {
        return file;
    }
}
