package dev.chromatic.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterCliTest {

    private final StringWriter err = new StringWriter();

    private CommandLine cli() {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    @Test
    void workerRejectsJoinEntryWithoutNumericPort() {
        assertEquals(2, cli().execute("worker", "--join", "10.0.0.2:5701,10.0.0.3:http"));
        assertTrue(err.toString().contains("--join: '10.0.0.3:http' has no numeric port"), err.toString());
    }

    @Test
    void trainRejectsBadClusterListBeforeTraining(@TempDir Path dir) {
        assertEquals(2, cli().execute("train", "--iterations", "1", "--out", dir.resolve("p.cpol").toString(),
                "--cluster", "host:0"));
        assertTrue(err.toString().contains("--cluster: port of 'host:0' must be in 1..65535"), err.toString());
    }

    @Test
    void benchClusterRejectsZeroMembers() {
        assertEquals(2, cli().execute("bench", "cluster", "--members", "0"));
        assertTrue(err.toString().contains("--members must be in 1..16"), err.toString());
    }
}
