package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of the robot release (src/dist): install.sh into a DESTDIR, the systemd unit, the example config. */
class ReleaseFilesTest {

    private static final Path DIST = Path.of("src", "dist");

    @TempDir
    Path tmp;

    private Path release() throws Exception {
        Path r = tmp.resolve("chromatic-robot-test");
        Files.createDirectories(r.resolve("bin"));
        Files.createDirectories(r.resolve("lib"));
        Files.copy(DIST.resolve("chromatic-robot"), r.resolve("bin/chromatic-robot"));
        Files.copy(DIST.resolve("chromatic-robot-check"), r.resolve("bin/chromatic-robot-check"));
        Files.copy(DIST.resolve("install.sh"), r.resolve("install.sh"));
        Files.copy(DIST.resolve("chromatic-robot.service"), r.resolve("chromatic-robot.service"));
        Files.copy(DIST.resolve("robot.properties"), r.resolve("robot.properties.example"));
        Files.writeString(r.resolve("lib/runtime-1.jar"), "v1");
        return r;
    }

    private static int install(Path release, Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", release.resolve("install.sh").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DESTDIR", root.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "install.sh hangs");
        return p.exitValue();
    }

    @Test
    void installsIntoADestdirAndAnUpgradeKeepsTheEditedConfigAndReplacesTheJars() throws Exception {
        Path release = release();
        Path root = tmp.resolve("root");
        assertEquals(0, install(release, root));
        Path config = root.resolve("etc/chromatic/robot.properties");
        assertTrue(Files.isRegularFile(root.resolve("opt/chromatic/lib/runtime-1.jar")));
        assertTrue(Files.isExecutable(root.resolve("opt/chromatic/bin/chromatic-robot")));
        assertTrue(Files.isExecutable(root.resolve("opt/chromatic/bin/chromatic-robot-check")));
        assertTrue(Files.isRegularFile(root.resolve("etc/systemd/system/chromatic-robot.service")));
        assertTrue(Files.isDirectory(root.resolve("etc/chromatic/trusted-keys")));
        assertTrue(Files.isDirectory(root.resolve("var/lib/chromatic/policies")));
        assertEquals(Files.readString(DIST.resolve("robot.properties")), Files.readString(config));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config)),
                "robot.properties may hold the broker password");
        assertTrue(Files.isDirectory(root.resolve("etc/chromatic/operator-keys")));

        Files.writeString(config, "policy.stack=edited\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(release.resolve("lib/runtime-1.jar"));
        Files.writeString(release.resolve("lib/runtime-2.jar"), "v2");
        assertEquals(0, install(release, root));
        assertTrue(Files.readString(config).endsWith("policy.stack=edited\n"));
        assertTrue(Files.isRegularFile(root.resolve("opt/chromatic/lib/runtime-2.jar")));
        assertFalse(Files.exists(root.resolve("opt/chromatic/lib/runtime-1.jar")));
    }

    @Test
    void refusesAnIncompleteReleaseFolder() throws Exception {
        Path release = release();
        Files.delete(release.resolve("chromatic-robot.service"));
        assertEquals(1, install(release, tmp.resolve("root")));
        assertFalse(Files.exists(tmp.resolve("root/opt")));
    }

    @Test
    void theUnitRunsAsAnUnprivilegedUserWithRealTimePriorityAndRestarts() throws Exception {
        List<String> unit = Files.readAllLines(DIST.resolve("chromatic-robot.service"), StandardCharsets.UTF_8);
        assertTrue(unit.contains("User=chromatic"));
        assertTrue(unit.contains("SupplementaryGroups=i2c gpio"));
        assertTrue(unit.contains("CPUSchedulingPolicy=fifo"));
        assertTrue(unit.contains("Restart=on-failure"));
        assertTrue(unit.contains("Type=notify"), "the runtime reports READY=1 and feeds the watchdog");
        assertTrue(unit.contains("NotifyAccess=all"), "systemd-notify sends for the JVM");
        assertTrue(unit.stream().anyMatch(l -> l.matches("WatchdogSec=[1-9][0-9]*")), "a watchdog period is set");
        assertTrue(unit.stream().anyMatch(l -> l.startsWith("Environment=\"JAVA_OPTS=") && l.contains("-XX:+UseZGC")
                && l.contains("-XX:-ZProactive")), "ZGC without proactive cycles");
        assertTrue(unit.contains("CPUAffinity=0-2"), "the JVM's threads start off the loop's core");
        assertTrue(unit.contains("ExecStartPre=-+/bin/chgrp chromatic /dev/cpu_dma_latency")
                && unit.contains("ExecStartPre=-+/bin/chmod g+w /dev/cpu_dma_latency"),
                "the unprivileged runtime may hold the CPU latency request (loop.cpu_latency_us)");
        Properties config = new Properties();
        try (Reader r = Files.newBufferedReader(DIST.resolve("robot.properties"))) {
            config.load(r);
        }
        assertEquals("3", config.getProperty("loop.cpu"), "the loop moves to the core the other threads leave free");
        assertTrue(unit.stream().anyMatch(l -> l.startsWith("ExecStart=/opt/chromatic/bin/chromatic-robot ")));
        assertFalse(unit.stream().anyMatch(l -> l.equals("User=root")));
    }

    @Test
    void theExampleConfigurationIsValid() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(DIST.resolve("robot.properties"))) {
            p.load(r);
        }
        PolicyUpdateSettings s = PolicyUpdateSettings.from(p);
        assertEquals(Path.of("/var/lib/chromatic/policies"), s.storeDir());
        assertEquals(Path.of("/etc/chromatic/trusted-keys"), s.trustedKeysDir());
    }

    @Test
    void theExampleDeviceConfigurationIsForTheServoBuild() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(DIST.resolve("robot.properties"))) {
            p.load(r);
        }
        assertEquals("device", p.getProperty("hal"));
        assertEquals("minitaur-servo", p.getProperty("robot.model"), "hal=device drives hobby servos");
        assertEquals("minitaur-pmtg", p.getProperty("policy.stack"));
    }
}
