package dev.chromatic.tools.demo;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.testing.Cli.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chromatic demo --broker} refuses bad broker options before it does anything, with one
 * line naming the option and exit 2; a broker it cannot reach fails the step 'broker' with exit 1
 * before any policy is prepared. Never a stack trace.
 */
class DemoBrokerOptionsTest {

    @TempDir
    Path tmp;

    private Run demo(String... args) {
        List<String> all = new ArrayList<>(List.of("demo", "--quick", "--out", tmp.resolve("out").toString()));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    private void assertBadInput(String naming, String... args) {
        Run r = demo(args);
        String what = String.join(" ", args) + ": " + r.out() + r.err();
        assertEquals(2, r.exit(), what);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
        assertTrue(r.err().startsWith("chromatic demo: ") && r.err().contains(naming), what);
        assertFalse(Files.exists(tmp.resolve("out")), "refused before anything was written: " + what);
    }

    @Test
    void badBrokerOptionsAreOneLineNamingTheOption() throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw"), "secret\n");
        Path pem = Files.writeString(tmp.resolve("not-a-cert.pem"), "hello\n");
        Path missing = tmp.resolve("missing.pem");

        assertBadInput("--broker URL", "--username", "u", "--password-file", pw.toString());
        assertBadInput("--broker must be tcp://", "--broker", "ws://127.0.0.1:9001");
        assertBadInput("--broker must be tcp://", "--broker", "127.0.0.1:1883");
        assertBadInput("need an ssl:// broker", "--broker", "tcp://127.0.0.1:1883", "--cafile", pem.toString());
        assertBadInput("--password-file needs --username", "--broker", "tcp://127.0.0.1:1883", "--password-file", pw.toString());
        assertBadInput("--password-file " + missing + ": no such file",
                "--broker", "tcp://127.0.0.1:1883", "--username", "u", "--password-file", missing.toString());
        assertBadInput("--cafile " + missing + ": no such file", "--broker", "ssl://127.0.0.1:8883", "--cafile", missing.toString());
        assertBadInput("--cafile " + pem, "--broker", "ssl://127.0.0.1:8883", "--cafile", pem.toString());
        assertBadInput("--tls-cert and --tls-key go together", "--broker", "ssl://127.0.0.1:8883", "--tls-cert", pem.toString());
        assertBadInput("--tls-key " + missing + ": no such file", "--broker", "ssl://127.0.0.1:8883",
                "--tls-cert", pem.toString(), "--tls-key", missing.toString());
    }

    @Test
    void anUnreachableBrokerFailsTheBrokerStepFirst() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run r = demo("--broker", "tcp://127.0.0.1:" + closed);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("chromatic demo: step 'broker' failed: cannot connect to broker tcp://127.0.0.1:" + closed),
                r.err());
        assertFalse(r.err().contains("preparing the policy"), "checked before the policy: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }
}
