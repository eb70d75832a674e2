package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker with a password file: who gets in, and files and binds that are refused at start. */
class EmbeddedBrokerPasswordTest {

    @TempDir
    Path dir;

    /** Connects and disconnects; returns 0 when admitted, else Paho's reason code. */
    private static int connect(String url, String user, String password) throws MqttException {
        MqttClient c = new MqttClient(url, "t-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        try {
            c.connect(o);
            c.disconnect(1000);
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            c.close();
        }
    }

    @Test
    void onlyListedUsersWithTheirPasswordGetIn() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "# chromatic broker users\n\n" + BrokerPasswords.line("operator", "op-secret") + "\n"
                + BrokerPasswords.line("r1", "robot-secret").toUpperCase(java.util.Locale.ROOT).replace("R1:", "r1:") + "\n");
        try (EmbeddedBroker b = EmbeddedBroker.start("127.0.0.1", 0, BrokerPasswords.load(file))) {
            int refused = MqttException.REASON_CODE_FAILED_AUTHENTICATION;
            assertEquals(0, connect(b.url(), "operator", "op-secret"), "right password");
            assertEquals(0, connect(b.url(), "r1", "robot-secret"), "upper-case hex hashes are read too");
            assertEquals(refused, connect(b.url(), "operator", "op-secret "), "wrong password");
            assertEquals(refused, connect(b.url(), "r1", "op-secret"), "another user's password");
            assertEquals(refused, connect(b.url(), "stranger", "op-secret"), "unknown user");
            assertEquals(refused, connect(b.url(), null, null), "anonymous");
            assertEquals(refused, connect(b.url(), "operator", null), "a user name without a password");
        }
        try (EmbeddedBroker open = EmbeddedBroker.start("127.0.0.1", 0)) {
            assertEquals(0, connect(open.url(), null, null), "without a file the broker stays anonymous");
        }
    }

    @Test
    void aBadPasswordFileIsRefusedNamingItsLine() throws Exception {
        Path file = dir.resolve("passwd");
        String good = BrokerPasswords.line("operator", "x");
        String[][] cases = {
                {good + "\nr1 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n", "line 2", "user:sha256hex"},
                {good + "\nr1:secret\n", "line 2", "64 hex digits"},
                {good + "\n" + good + "\n", "line 2", "listed twice"},
                {"# nobody\n\n", "lists no user", "nobody could connect"}};
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            IOException e = assertThrows(IOException.class, () -> BrokerPasswords.load(file), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), e.getMessage());
        }
        assertThrows(IOException.class, () -> BrokerPasswords.load(dir.resolve("missing")));
    }

    @Test
    void theBrokerCommandRefusesBadFilesAndAnAnonymousNetworkBind() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "operator:not-a-hash\n");
        String port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = Integer.toString(free.getLocalPort());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.commandLine().setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .execute("broker", "--port", port, "--password-file", file.toString());
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--password-file " + file + " line 1"), err.toString());
        err.reset();
        exit = Main.commandLine().setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .execute("broker", "--host", "0.0.0.0", "--port", port);
        assertEquals(2, exit, "an anonymous broker on every interface is refused");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--allow-anonymous"), err.toString());
        assertTrue(BrokerCommand.isLoopback("127.0.0.1") && BrokerCommand.isLoopback("localhost"));
        assertTrue(!BrokerCommand.isLoopback("0.0.0.0"));
    }
}
