package dev.chromatic.hal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed FlatBuffers Java code of the HIL link matches what flatc makes of hil.fbs today.
 * Skipped, with the reason in the report, where flatc is not installed.
 */
class GeneratedCodeIsCurrentTest {

    private static final Path FLATC = Path.of("/usr/bin/flatc");
    private static final Path SCHEMA = Path.of("src/main/fbs/hil.fbs");
    private static final Path COMMITTED = Path.of("src/main/java/dev/chromatic/hal/remote/fb");

    @Test
    void regeneratedCodeEqualsTheCommittedCode(@TempDir Path out) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(FLATC), "flatc not installed at " + FLATC + ": generated HIL code not re-checked");
        Process p = new ProcessBuilder(FLATC.toString(), "--java", "-o", out.toString(), SCHEMA.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS), "flatc did not finish");
        assertEquals(0, p.exitValue(), "flatc failed: " + log);
        Path generated = out.resolve("dev/chromatic/hal/remote/fb");
        List<String> names = list(generated);
        assertEquals(names, list(COMMITTED), "generated files differ from the committed ones");
        for (String name : names) {
            assertEquals(Files.readString(generated.resolve(name)), Files.readString(COMMITTED.resolve(name)),
                    name + " is out of date: run flatc --java -o hal/src/main/java hal/src/main/fbs/hil.fbs");
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
