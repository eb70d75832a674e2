package dev.chromatic.tools.watch;

import dev.chromatic.tools.run.EmbeddedBroker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.telemetry.TelemetryEncoder;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import dev.chromatic.tools.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryCommandTest {

    private static EmbeddedBroker broker;

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start("127.0.0.1", 0);
    }

    @org.junit.jupiter.api.AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Batch {@code b} of 10 samples at 1 kHz: cycle k at k ms, lateness k us, safe from cycle 300 on. */
    private static byte[] batch(TelemetryEncoder enc, long b) {
        TelemetrySample[] s = new TelemetrySample[10];
        for (int i = 0; i < 10; i++) {
            long cycle = (b - 1) * 10 + i + 1;
            s[i] = new TelemetrySample(4, 2, 8);
            s[i].cycle = cycle;
            s[i].timeNs = cycle * 1_000_000L;
            s[i].latenessNs = cycle * 1000L % 50_000L;
            s[i].state = cycle < 300 ? 1 : 2;
            s[i].reason = cycle < 300 ? 0 : 1;
            s[i].rollRad = Math.sin(cycle * 0.01);
            s[i].pitchRad = 0.1;
            s[i].setObservation(new double[] {1, 2, 3, 4});
            s[i].setAction(new double[] {Math.cos(cycle * 0.02), -0.5});
        }
        return enc.encode(new TelemetryEncoder.BatchInfo("r9", b, 1_000_000L, 1, 0, 2, 3), s, 10);
    }

    @Test
    void decodesRecordsAndPlotsTelemetryAndCountsLostAndBadBatches() throws Exception {
        {
            Path csv = tmp.resolve("t.csv");
            Path png = tmp.resolve("t.png");
            Thread robot = new Thread(() -> {
                try {
                    MqttClient c = new MqttClient(broker.url(), "robot-r9", new MemoryPersistence());
                    c.connect();
                    TelemetryEncoder enc = new TelemetryEncoder();
                    if (!broker.awaitSubscription("chromatic/r9/telemetry", 20_000)) {
                        throw new IllegalStateException("the telemetry command never subscribed");
                    }
                    for (long b = 1; b <= 40; b++) {
                        if (b == 20) {
                            continue;
                        }
                        c.publish("chromatic/r9/telemetry", batch(enc, b), 0, false);
                        if (b == 30) {
                            c.publish("chromatic/r9/telemetry", new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9}, 0, false);
                        }
                        Thread.sleep(5);
                    }
                    c.disconnect();
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            robot.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream old = System.out;
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                exit = Main.run("telemetry", "--robot", "r9", "--broker", broker.url(), "--seconds", "2.5",
                        "--record", csv.toString(), "--plot", png.toString(), "--json");
            } finally {
                System.setOut(old);
            }
            robot.join();
            String json = out.toString(StandardCharsets.UTF_8).strip();
            assertEquals(0, exit, json);
            assertTrue(json.contains("\"samples\":390"), json);
            assertTrue(json.contains("\"batches\":39"), json);
            assertTrue(json.contains("\"lost_batches\":1"), json);
            assertTrue(json.contains("\"bad_batches\":1"), json);
            assertTrue(json.contains("\"rate_hz\":1000.0"), json);
            assertTrue(json.contains("\"state\":\"safe(roll_limit)\"") || json.contains("\"state\":\"safe("), json);
            assertTrue(json.contains("\"overruns\":2"), json);

            List<String> rows = Files.readAllLines(csv);
            assertEquals(391, rows.size());
            assertTrue(rows.get(0).startsWith("batch,cycle,time_ns,lateness_ns"), rows.get(0));
            assertTrue(rows.get(0).endsWith("angle_rad7"), rows.get(0));
            assertTrue(rows.get(1).startsWith("1,1,1000000,1000,"), rows.get(1));

            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(1200, img.getWidth());
            int nonWhite = 0;
            for (int y = 0; y < img.getHeight(); y += 3) {
                for (int x = 0; x < img.getWidth(); x += 3) {
                    if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                        nonWhite++;
                    }
                }
            }
            assertTrue(nonWhite > 1000, "plot looks empty: " + nonWhite);
        }
    }

    @Test
    void noTelemetryIsAFailure() throws Exception {
        {
            assertEquals(1, Main.run("telemetry", "--robot", "quiet", "--broker", broker.url(), "--seconds", "0.5", "--json"));
        }
        assertEquals(2, Main.run("telemetry", "--robot", "quiet", "--seconds", "-1"));
        assertEquals(2, Main.run("telemetry", "--robot", "quiet", "--record", tmp.resolve("no/such/dir/x.csv").toString()));
        assertEquals(2, Main.run("telemetry", "--robot", "quiet", "--broker", broker.url(), "--cafile",
                tmp.resolve("ca.pem").toString(), "--seconds", "0.5"), "TLS options on a plain tcp:// broker are refused");
        assertEquals(2, Main.run("telemetry", "--robot", "quiet", "--broker", broker.url(), "--password-file",
                tmp.resolve("pw").toString(), "--seconds", "0.5"), "a password file needs a user name");
    }

    @Test
    void aDamagedBatchIsRefusedWithAMessage() {
        byte[] good = batch(new TelemetryEncoder(), 1);
        for (int n = 0; n < good.length; n += 7) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            try {
                TelemetryBatch.decode(cut);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage() != null);
            }
        }
        assertEquals(10, TelemetryBatch.decode(good).samples().size());
    }
}
