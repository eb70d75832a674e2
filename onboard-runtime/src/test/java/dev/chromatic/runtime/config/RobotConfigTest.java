package dev.chromatic.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.runtime.app.RobotMain;
import dev.chromatic.runtime.mqtt.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobotConfigTest {

    @TempDir
    Path dir;

    private Properties valid() throws Exception {
        Files.writeString(dir.resolve("walk.cpol"), "x");
        Properties p = new Properties();
        p.setProperty("robot.id", "r1");
        p.setProperty("hal", "remote:127.0.0.1:9000");
        p.setProperty("policy.file", "walk.cpol");
        p.setProperty("policy.require_signature", "false");
        return p;
    }

    private ConfigException rejected(Properties p) {
        return assertThrows(ConfigException.class, () -> RobotConfig.parse(p, dir));
    }

    /** Each bad value of {@code key}, set in turn, is refused with an error naming the key. */
    private void assertEachRejectedNaming(Properties p, String key, String... bad) {
        for (String value : bad) {
            p.setProperty(key, value);
            assertEquals(key, rejected(p).key(), value);
        }
    }

    @Test
    void acceptsAMinimalConfigWithDefaults() throws Exception {
        RobotConfig c = RobotConfig.parse(valid(), dir);
        assertEquals("r1", c.robotId());
        assertEquals(dir.resolve("walk.cpol"), c.policyFile());
        assertNull(c.mqtt(), "no broker configured");
        assertEquals(10, c.telemetryDecimation());
        assertEquals(0.5, c.safety().maxRollRad());
    }

    @Test
    void standUpSettingsHaveTheRobotsDefaultsAndReadTheOldRampKey() throws Exception {
        RobotConfig c = RobotConfig.parse(valid(), dir);
        assertEquals(1_000_000_000L, c.standUp().rampNs());
        assertEquals(0.3, c.standUp().settleRateRadPerS());
        assertEquals(200_000_000L, c.standUp().settleHoldNs());
        assertEquals(1_500_000_000L, c.standUp().settleMaxNs());
        assertNull(c.standUpStartPose(), "the resting pose by default");
        Properties old = valid();
        old.setProperty("safety.stand_up_s", "2.5");
        assertEquals(2_500_000_000L, RobotConfig.parse(old, dir).standUp().rampNs());
        old.setProperty("stand_up.ramp_s", "1.0");
        assertEquals("safety.stand_up_s", rejected(old).key(), "the old and the new name together are ambiguous");
    }

    @Test
    void standUpStartPoseIsRestingStandingOrEightAnglesWithinLimits() throws Exception {
        Properties p = valid();
        p.setProperty("stand_up.start_pose", "standing");
        assertEquals(Math.PI / 2, RobotConfig.parse(p, dir).standUpStartPose()[3], 1e-12);
        p.setProperty("stand_up.start_pose", "1,1,1,1,1,1,1,1.5");
        assertEquals(1.5, RobotConfig.parse(p, dir).standUpStartPose()[7]);
        p.setProperty("stand_up.start_pose", "1,1,1");
        assertEquals("stand_up.start_pose", rejected(p).key());
        p.setProperty("stand_up.start_pose", "1,1,1,1,1,1,1,9");
        ConfigException e = rejected(p);
        assertTrue(e.getMessage().contains("back_right_b"), e.getMessage());
        p.setProperty("stand_up.start_pose", "1,1,1,1,1,1,x,1");
        assertEquals("stand_up.start_pose", rejected(p).key());
    }

    @Test
    void robotModelIsTheMinitaurByDefaultOrTheServoBuild() throws Exception {
        assertEquals("minitaur", RobotConfig.parse(valid(), dir).spec().name());
        Properties p = valid();
        p.setProperty("robot.model", "minitaur-servo");
        RobotConfig c = RobotConfig.parse(p, dir);
        assertEquals("minitaur-servo", c.spec().name());
        assertEquals(Math.PI, c.spec().maxPositionRad(0), 1e-12);
        p.setProperty("robot.model", "hexapod");
        ConfigException e = rejected(p);
        assertEquals("robot.model", e.key());
        assertTrue(e.getMessage().contains("minitaur-servo"), e.getMessage());
    }

    @Test
    void theStartPoseIsCheckedAgainstTheServoBuildsTravel() throws Exception {
        Properties p = valid();
        p.setProperty("stand_up.start_pose", "-0.2,1,1,1,1,1,1,1");
        RobotConfig.parse(p, dir);
        p.setProperty("robot.model", "minitaur-servo");
        ConfigException e = rejected(p);
        assertEquals("stand_up.start_pose", e.key(), "a servo travels 0..pi rad");
    }

    @Test
    void aSettleHoldLongerThanTheWaitIsRefused() throws Exception {
        Properties p = valid();
        p.setProperty("stand_up.settle_hold_s", "2");
        p.setProperty("stand_up.settle_max_s", "1");
        ConfigException e = rejected(p);
        assertEquals("stand_up", e.key());
        assertTrue(e.getMessage().contains("settle_hold_s"), e.getMessage());
    }

    @Test
    void namesAnUnknownKey() throws Exception {
        Properties p = valid();
        p.setProperty("loop.rate_hx", "100");
        assertEquals("loop.rate_hx", rejected(p).key());
    }

    @Test
    void namesAMissingRobotId() throws Exception {
        Properties p = valid();
        p.remove("robot.id");
        assertEquals("robot.id", rejected(p).key());
    }

    @Test
    void namesARateOutOfRange() throws Exception {
        Properties p = valid();
        p.setProperty("loop.rate_hz", "20");
        ConfigException e = rejected(p);
        assertEquals("loop.rate_hz", e.key());
        assertTrue(e.getMessage().contains("50..1000"), e.getMessage());
    }

    @Test
    void refusesARateThatDiffersFromThePolicyUnlessForced() throws Exception {
        Properties p = valid();
        p.setProperty("loop.rate_hz", "500");
        RobotConfig c = RobotConfig.parse(p, dir);
        assertEquals("loop.rate_hz", assertThrows(ConfigException.class, () -> c.loopSettings(10_000_000L)).key());
        p.setProperty("loop.force_rate", "true");
        assertEquals(2_000_000L, RobotConfig.parse(p, dir).loopSettings(10_000_000L).periodNs());
        p.remove("loop.rate_hz");
        assertEquals(10_000_000L, RobotConfig.parse(p, dir).loopSettings(10_000_000L).periodNs());
    }

    @Test
    void namesBadBooleansNumbersAndUrls() throws Exception {
        Properties p = valid();
        p.setProperty("loop.force_rate", "yes");
        assertEquals("loop.force_rate", rejected(p).key());
        p = valid();
        p.setProperty("safety.max_roll_rad", "abc");
        assertEquals("safety.max_roll_rad", rejected(p).key());
        p = valid();
        p.setProperty("mqtt.url", "http://broker");
        assertEquals("mqtt.url", rejected(p).key());
        p = valid();
        p.setProperty("mqtt.username", "robot");
        assertEquals("mqtt.username", rejected(p).key(), "mqtt keys without mqtt.url");
        p = valid();
        p.setProperty("hal", "gpio");
        assertEquals("hal", rejected(p).key());
        p = valid();
        p.setProperty("policy.file", "missing.cpol");
        assertEquals("policy.file", rejected(p).key());
    }

    @Test
    void anUnknownPolicyKeyIsRefusedLikeAnyOther() throws Exception {
        Properties p = valid();
        p.setProperty("policy.health_windw_s", "3");
        assertEquals("policy.health_windw_s", rejected(p).key(), "a typo must not fall back to a default");
        p = valid();
        p.setProperty("policy.health_window_s", "3");
        RobotConfig.parse(p, dir);
    }

    @Test
    void plainTcpIsForTheRobotItselfOnly() throws Exception {
        for (String host : new String[] {"localhost", "127.0.0.1", "127.1.2.3"}) {
            Properties p = valid();
            p.setProperty("mqtt.url", "tcp://" + host + ":1883");
            assertEquals("tcp://" + host + ":1883", RobotConfig.parse(p, dir).mqtt().serverUri());
        }
        for (String host : new String[] {"broker.lan", "10.0.0.2", "127.0.0.1.example.com", "localhost.evil"}) {
            Properties p = valid();
            p.setProperty("mqtt.url", "tcp://" + host + ":1883");
            assertEquals("mqtt.url", rejected(p).key(), host);
        }
    }

    @Test
    void readsMqttCredentials() throws Exception {
        Properties p = valid();
        Files.writeString(dir.resolve("mqtt.pw"), "s3cret\n# rotated 2026-11\n");
        p.setProperty("mqtt.url", "tcp://10.0.0.2:1883");
        p.setProperty("mqtt.username", "robot");
        p.setProperty("mqtt.password_file", "mqtt.pw");
        ConfigException plain = rejected(p);
        assertEquals("mqtt.url", plain.key(), "plain tcp:// off the robot is refused unless asked for");
        assertTrue(plain.getMessage().contains("mqtt.insecure=true"), plain.getMessage());
        p.setProperty("mqtt.insecure", "true");
        RobotConfig c = RobotConfig.parse(p, dir);
        assertEquals("robot", c.mqtt().username());
        assertEquals("s3cret", new String(c.mqtt().password()), "the first line, as the tools read --password-file");
        assertEquals("chromatic-r1", c.mqtt().clientId());
    }

    @Test
    void aClientKeyStoreIsCheckedAtStartAndOnlyTakenWithSsl() throws Exception {
        assumeTrue(TestPki.available(), "openssl not installed");
        TestPki ca = new TestPki(dir.resolve("pki"), "fleet");
        Path p12 = ca.client("robot").pkcs12();
        Properties p = valid();
        p.setProperty("mqtt.url", "ssl://broker.lan:8883");
        p.setProperty("mqtt.tls.truststore", ca.trustStore().toString());
        p.setProperty("mqtt.tls.truststore_password", TestPki.STORE_PASSWORD);
        p.setProperty("mqtt.tls.keystore", p12.toString());
        p.setProperty("mqtt.tls.keystore_password", TestPki.STORE_PASSWORD);
        RobotConfig c = RobotConfig.parse(p, dir);
        assertEquals(p12, c.mqtt().keyStore());
        assertEquals(TestPki.STORE_PASSWORD, new String(c.mqtt().keyStorePassword()));

        p.setProperty("mqtt.tls.keystore_password", "wrong");
        ConfigException wrong = rejected(p);
        assertEquals("mqtt.tls.keystore_password", wrong.key(), wrong.getMessage());
        p.setProperty("mqtt.tls.keystore_password", TestPki.STORE_PASSWORD);
        p.setProperty("mqtt.tls.keystore", "missing.p12");
        ConfigException missing = rejected(p);
        assertEquals("mqtt.tls.keystore", missing.key());
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        p.setProperty("mqtt.tls.keystore", ca.caCert().toString());
        ConfigException notPkcs12 = rejected(p);
        assertEquals("mqtt.tls.keystore", notPkcs12.key(), "a PEM file is not a key store: " + notPkcs12.getMessage());
        p.setProperty("mqtt.tls.keystore", ca.trustStore().toString());
        ConfigException noKey = rejected(p);
        assertEquals("mqtt.tls.keystore", noKey.key());
        assertTrue(noKey.getMessage().contains("no private key"), "a trust store holds no key: " + noKey.getMessage());

        Properties plain = valid();
        plain.setProperty("mqtt.url", "tcp://127.0.0.1:1883");
        plain.setProperty("mqtt.tls.keystore", p12.toString());
        plain.setProperty("mqtt.tls.keystore_password", TestPki.STORE_PASSWORD);
        ConfigException notSsl = rejected(plain);
        assertEquals("mqtt.tls.keystore", notSsl.key());
        assertTrue(notSsl.getMessage().contains("ssl://"), notSsl.getMessage());
        Properties orphan = valid();
        orphan.setProperty("mqtt.url", "ssl://broker.lan:8883");
        orphan.setProperty("mqtt.tls.keystore_password", "x");
        assertEquals("mqtt.tls.keystore_password", rejected(orphan).key(), "a password without a key store");
    }

    @Test
    void robotMainExitsWithTwoAndNamesTheBadKey() throws Exception {
        Properties p = valid();
        p.setProperty("telemetry.decimation", "0");
        Path file = dir.resolve("robot.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RobotMain.run(new String[] {"--config", file.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err), new CountDownLatch(0));
        assertEquals(2, code);
        assertTrue(err.toString().contains("telemetry.decimation"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no stack trace");
    }

    @Test
    void operatorCommandKeysAndTheirDefaults() throws Exception {
        RobotConfig c = RobotConfig.parse(valid(), dir);
        assertEquals(1_000_000_000L, c.linkTimeoutNs(), "the robot's link timeout defaults to 1 s");
        assertEquals(0, c.commandSettings(w -> { }).keys().size(), "without cmd.operator_keys only estop is accepted");
        assertTrue(!c.localEstopReset(), "remote reset off the device backend");

        Properties p = valid();
        Files.createDirectories(dir.resolve("ops"));
        Files.writeString(dir.resolve("ops/README"), "not a key");
        p.setProperty("cmd.operator_keys", "ops");
        p.setProperty("cmd.counter_file", "counters");
        java.util.List<String> warnings = new java.util.ArrayList<>();
        assertEquals(0, RobotConfig.parse(p, dir).commandSettings(warnings::add).keys().size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("README")), "other files are named: " + warnings);

        Properties noCounter = valid();
        noCounter.setProperty("cmd.operator_keys", "ops");
        assertEquals("cmd.counter_file", rejected(noCounter).key());
        Properties stray = valid();
        stray.setProperty("cmd.counter_file", "counters");
        assertEquals("cmd.counter_file", rejected(stray).key());
        Properties timeout = valid();
        timeout.setProperty("safety.link_timeout_s", "0.01");
        assertEquals("safety.link_timeout_s", rejected(timeout).key());
        timeout.setProperty("safety.link_timeout_s", "0");
        assertEquals(0, RobotConfig.parse(timeout, dir).linkTimeoutNs());
        Properties device = valid();
        device.setProperty("hal", "device");
        assertEquals("safety.estop_reset", rejected(device).key(), "local reset needs device.reset_pin");
        device.setProperty("device.reset_pin", "27");
        assertTrue(RobotConfig.parse(device, dir).localEstopReset());
        device.setProperty("safety.estop_reset", "sometimes");
        assertEquals("safety.estop_reset", rejected(device).key());
    }

    @Test
    void jsonTelemetryRateDefaultsToTwentyHertzAndIsChecked() throws Exception {
        assertEquals(20.0, RobotConfig.parse(valid(), dir).telemetryJsonRateHz());
        Properties p = valid();
        p.setProperty("telemetry.json_rate_hz", "0");
        assertEquals(0.0, RobotConfig.parse(p, dir).telemetryJsonRateHz(), "0 turns the topic off");
        p.setProperty("telemetry.json_rate_hz", " 2.5 ");
        assertEquals(2.5, RobotConfig.parse(p, dir).telemetryJsonRateHz());
        assertEachRejectedNaming(p, "telemetry.json_rate_hz", "-1", "1001", "NaN", "fast", "");
    }

    @Test
    void cpuLatencyIsHeldAtZeroByDefaultAndIsChecked() throws Exception {
        assertEquals(0, RobotConfig.parse(valid(), dir).cpuLatencyUs());
        Properties p = valid();
        p.setProperty("loop.cpu_latency_us", "-1");
        assertEquals(-1, RobotConfig.parse(p, dir).cpuLatencyUs(), "-1 leaves power management alone");
        p.setProperty("loop.cpu_latency_us", "100000");
        assertEquals(100_000, RobotConfig.parse(p, dir).cpuLatencyUs());
        assertEachRejectedNaming(p, "loop.cpu_latency_us", "-2", "100001", "0.5", "low", "");
    }
}
