package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import dev.chromatic.runtime.policy.PolicyFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM that is installing policies, at random moments, 24 times in a row on
 * the same store; after each kill the store is reopened as a restarted robot would and the active
 * policy must be exactly the last one committed or the one being written, byte for byte, and verify;
 * and a copy of the store without its record must still refuse that version (the barrier copy and
 * the slot files keep the anti-rollback barrier).
 */
class PolicyStoreCrashTest {

    private static final int KILLS = 24;
    private static final int PAYLOAD_BYTES = 3000;
    private static final long MAX_KILL_DELAY_NS = 40_000_000L;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void afterAKillAtAnyPointTheActivePolicyIsExactlyTheOldOrTheNewOne() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        PolicyStore.open(dir, FakePolicyFiles.VERIFIER).install(FakePolicyFiles.file(1, PAYLOAD_BYTES));
        long committed = 1;
        int midFlash = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = startChild();
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                if (first == null || !first.startsWith("ready ")) {
                    child.toHandle().destroyForcibly();
                    fail("child did not start (seed " + seed + "): " + first + " " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                assertEquals(committed, Long.parseLong(first.substring(6)), "restart saw another active version (seed " + seed + ")");
                LockSupport.parkNanos((long) (random.nextDouble() * MAX_KILL_DELAY_NS));
                child.toHandle().destroyForcibly(); // SIGKILL, leaving the pipe open to drain
                assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            }
            long lastBegin = -1;
            long lastDone = committed;
            for (String line : lines) {
                if (line.startsWith("begin ")) {
                    lastBegin = Long.parseLong(line.substring(6));
                } else if (line.startsWith("done ")) {
                    lastDone = Long.parseLong(line.substring(5));
                }
            }
            boolean interrupted = lastBegin > lastDone;
            if (interrupted) {
                midFlash++;
            }

            PolicyStore restarted = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
            PolicySlot active = restarted.active().orElseThrow(() -> new AssertionError("no active policy after kill (seed " + seed + ")"));
            long v = active.version();
            boolean oldOrNew = v == lastDone || (interrupted && v == lastBegin);
            assertTrue(oldOrNew, "kill " + kill + ": active " + v + ", last done " + lastDone + ", last begun " + lastBegin + " (seed " + seed + ")");
            byte[] bytes = restarted.read(active);
            assertArrayEquals(FakePolicyFiles.file(v, PAYLOAD_BYTES), bytes, "active file differs from version " + v);
            assertEquals(v, FakePolicyFiles.verify(bytes));
            assertEquals(v, restarted.installedVersion());
            assertBarrierSurvivesALostRecord(kill, v, seed);
            committed = v;
        }
        assertTrue(midFlash >= KILLS / 4, "only " + midFlash + " of " + KILLS + " kills landed during a flash (seed " + seed + ")");
    }

    /**
     * On a copy of the store as the kill left it: without its record the store still refuses the
     * active version and every older one (the barrier copy and the slot files keep the barrier).
     */
    private void assertBarrierSurvivesALostRecord(int kill, long active, long seed) throws Exception {
        Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-lost-record-" + kill));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals(PolicyStore.RECORD_FILE)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        try {
            PolicyStore lost = PolicyStore.open(copy, FakePolicyFiles.VERIFIER);
            assertTrue(lost.installedVersion() >= active, "kill " + kill + ": barrier " + lost.installedVersion()
                    + " below the installed " + active + " without the record (seed " + seed + ")");
            assertThrows(PolicyFormatException.class, () -> lost.stage(FakePolicyFiles.file(active, PAYLOAD_BYTES)));
        } finally {
            try (Stream<Path> files = Files.list(copy)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(copy);
        }
    }

    private Process startChild() throws Exception {
        String cp = location(StoreCrashChild.class) + File.pathSeparator + location(PolicyStore.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp", cp,
                StoreCrashChild.class.getName(), dir.toString(), Integer.toString(PAYLOAD_BYTES))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
