package dev.chromatic.tools.dashboard;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.testing.Cli.Run;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chromatic dashboard} on the command line: the printed URL, and usage errors. */
class DashboardCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheUrlAndSaysWhetherItCanSign() throws Exception {
        assertEquals(0, run("keygen", "--out", tmp.resolve("op").toString()).exit());
        Path key;
        try (Stream<Path> s = Files.list(tmp.resolve("op"))) {
            key = s.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            Run ro = run("dashboard", "--robot", "r1", "--broker", broker.url(), "--port", "0", "--seconds", "0.2");
            assertEquals(0, ro.exit(), ro.err());
            Matcher m = Pattern.compile("chromatic dashboard: http://127\\.0\\.0\\.1:(\\d+)/ \\(robot r1 at .*read-only").matcher(ro.out());
            assertTrue(m.find(), ro.out());
            Run signed = run("dashboard", "--robot", "r1", "--broker", broker.url(), "--port", "0", "--seconds", "0.2",
                    "--key", key.toString());
            assertEquals(0, signed.exit(), signed.err());
            assertTrue(signed.out().contains("operator key "), signed.out());
        }
    }

    @Test
    void badUsageExitsTwoAndAnUnreachableBrokerOne() throws Exception {
        assertEquals(2, run("dashboard", "--robot", "r 1", "--port", "0").exit());
        assertEquals(2, run("dashboard", "--robot", "r1", "--port", "70000").exit());
        assertEquals(2, run("dashboard", "--robot", "r1", "--bind", "no-such-host.invalid").exit());
        assertEquals(2, run("dashboard", "--robot", "r1", "--key", tmp.resolve("missing.key").toString()).exit());
        assertEquals(2, run("dashboard", "--robot", "r1", "--seconds", "-1").exit());
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Run away = run("dashboard", "--robot", "r1", "--broker", "tcp://127.0.0.1:" + free, "--port", "0");
        assertEquals(1, away.exit(), away.out() + away.err());
        assertTrue(away.out().isEmpty(), "no URL printed for a dashboard that cannot serve: " + away.out());
    }
}
