package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates the Java code of every schema in {@code src/main/fbs} with the installed flatc and
 * requires the committed code to be identical (same files in each generated package, same bytes).
 * Skipped, with a message, where flatc is not installed; CI installs it.
 */
class GeneratedCodeIsCurrentTest {

    private static final Path FLATC = Path.of("/usr/bin/flatc");
    private static final Path SCHEMAS = Path.of("src/main/fbs");
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void committedFlatBuffersCodeMatchesFlatcOutput(@TempDir Path out) throws Exception {
        if (!Files.isExecutable(FLATC)) {
            System.out.println("SKIPPED: " + FLATC + " not installed; generated FlatBuffers code not checked");
        }
        assumeTrue(Files.isExecutable(FLATC), "flatc not installed");
        List<Path> schemas;
        try (Stream<Path> s = Files.list(SCHEMAS)) {
            schemas = s.filter(p -> p.toString().endsWith(".fbs")).sorted().collect(Collectors.toList());
        }
        assertFalse(schemas.isEmpty(), "no schemas under " + SCHEMAS.toAbsolutePath());
        for (Path schema : schemas) {
            List<String> cmd = new ArrayList<>(List.of(FLATC.toString(), "--java", "-o", out.toString(), schema.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "flatc did not finish");
            assertEquals(0, p.exitValue(), "flatc failed on " + schema + ": " + log);
        }
        Set<Path> generatedDirs = new TreeSet<>();
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(Files::isRegularFile).forEach(f -> generatedDirs.add(out.relativize(f.getParent())));
        }
        assertFalse(generatedDirs.isEmpty(), "flatc generated nothing");
        for (Path dir : generatedDirs) {
            Set<String> fresh = names(out.resolve(dir));
            Set<String> committed = names(SOURCES.resolve(dir));
            assertEquals(fresh, committed, "files in " + SOURCES.resolve(dir) + " differ from flatc's output");
            for (String name : fresh) {
                assertEquals(Files.readString(out.resolve(dir).resolve(name)),
                        Files.readString(SOURCES.resolve(dir).resolve(name)),
                        SOURCES.resolve(dir).resolve(name) + " is stale: regenerate it with flatc --java -o src/main/java");
            }
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
