package dev.chromatic.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.tools.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's first command, end to end and a hard gate: {@code chromatic demo --quick} flashes
 * the shipped policy over MQTT to the robot jar running as its own process against the HIL
 * simulator; the robot lies where a power-up left it, is armed, stands up, settles and must walk at
 * least 0.5 m/s from the hand-over on, with no safety event, in its one start. The demo runs as its
 * own JVM, as a user's {@code ./chromatic demo --quick} does. While it runs it serves the dashboard
 * at the URL it prints.
 */
class QuickDemoTest {

    @TempDir
    Path out;

    @Test
    void quickDemoWalksTheShippedPolicyForwardWithoutSafetyTrips() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        Path robotJar = home.resolve("onboard-runtime/target/chromatic-robot.jar");
        assumeTrue(Files.isRegularFile(robotJar), "robot jar not built: run through 'mvn verify' from the root");
        Path run = out.resolve("demo");
        Path log = out.resolve("demo.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dchromatic.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--quick", "--seconds", "8", "--out", run.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String dashboardPage = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && dashboardPage == null && System.nanoTime() - end < 0) {
            dashboardPage = dashboardPage(log);
            Thread.sleep(200);
        }
        if (!p.waitFor(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            p.destroyForcibly().waitFor();
        }
        assertEquals(0, p.exitValue(), "demo exit code; its last line: " + lastLine(log));
        assertTrue(dashboardPage != null && dashboardPage.contains("<meta name=\"robot\" content=\"demo\">"),
                "the demo printed its dashboard's URL and served the page there while it ran");
        String summary = Files.readString(run.resolve("summary.json"));
        assertEquals("true", field(summary, "handed_over"), summary);
        assertEquals(0.0, Double.parseDouble(field(summary, "safe_state_events")), summary);
        assertTrue(Double.parseDouble(field(summary, "speed_mps")) >= 0.5, "walked at least 0.5 m/s: " + summary);
        assertTrue(Double.parseDouble(field(summary, "telemetry_samples")) > 400, "telemetry received: " + summary);
        assertTrue(Double.parseDouble(field(summary, "rate_hz")) > 90, "loop rate: " + summary);
        assertEquals(17.0, Double.parseDouble(field(summary, "weights")), summary);
        for (String f : new String[] {"policy.cpol", "policy.signed.cpol", "telemetry.csv", "telemetry.png",
                "gait/robot.gif", "gait/gait.png", "robot/robot.log"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f + " written");
        }
    }

    /** The page at the dashboard URL the demo printed, once it has printed one; else null. */
    private static String dashboardPage(Path log) throws java.io.IOException, InterruptedException {
        Matcher m = Pattern.compile("dashboard at (http://127\\.0\\.0\\.1:\\d+/)").matcher(Files.readString(log));
        if (!m.find()) {
            return null;
        }
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "status " + r.statusCode();
    }

    private static String lastLine(Path log) throws java.io.IOException {
        java.util.List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }

    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"?([^,\"}]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return m.group(1);
    }
}
