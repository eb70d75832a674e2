package dev.chromatic.runtime.config;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.mqtt.MqttLink;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.OperatorKeys;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.telemetry.Topics;
import dev.chromatic.runtime.update.PolicyUpdateSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runtime's part of robot.properties, checked once at start: every problem is reported with
 * the key that holds it, and unknown keys are refused (a typo must not silently fall back to a
 * default). Keys under {@code device.} belong to the device backend, and the policy-update
 * service's keys ({@link PolicyUpdateSettings#KEYS}) to it; an unknown {@code policy.} key is refused like any other;
 * their owners check them.
 *
 * @param spec the robot model ({@code robot.model}: {@code minitaur}, the default, or {@code minitaur-servo},
 *             the hobby-servo build of docs/robot-build.md); policies must be trained for it
 * @param rateHz control rate, 0 = the policy's control period
 * @param standUpStartPose where the stand-up starts on hardware without encoders (null: the resting pose)
 * @param mqtt null when no broker is configured
 */
public record RobotConfig(String robotId, RobotSpec spec, String hal, Path policyFile, boolean requireSignature,
                          Path trustedKeysDir, double rateHz, boolean forceRate, int rtPriority, int cpu,
                          long spinNs, SafetyLimits safety, StandUpSettings standUp, double[] standUpStartPose,
                          int telemetryDecimation, int telemetryBatch,
                          MqttSettings mqtt, int maxCommandsPerSecond, Properties raw, Path baseDir) {

    /**
     * Spin before each deadline, in microseconds, unless {@code loop.spin_us} says otherwise: the
     * setting that bought the most in the loop benchmarks (docs/robot-runtime.md).
     */
    public static final int DEFAULT_SPIN_US = 300;

    /**
     * CPU wake-up latency the loop holds while it runs, in microseconds, unless
     * {@code loop.cpu_latency_us} says otherwise (-1: leave the power management alone): 0 keeps
     * idle CPUs out of states they are slow to leave, as cyclictest does (docs/robot-runtime.md).
     */
    public static final int DEFAULT_CPU_LATENCY_US = 0;

    private static final Set<String> KEYS = Set.of(
            "robot.id", "robot.model", "hal", "policy.file", "policy.require_signature", "policy.trusted_keys_dir",
            "loop.rate_hz", "loop.force_rate", "loop.rt_priority", "loop.cpu", "loop.spin_us", "loop.cpu_latency_us",
            "safety.max_roll_rad", "safety.max_pitch_rad", "safety.bad_sensor_cycles", "safety.overrun_cycles",
            "safety.max_target_rate_rad_per_s", "safety.stand_up_s",
            "stand_up.ramp_s", "stand_up.settle_rate_rad_per_s", "stand_up.settle_hold_s", "stand_up.settle_max_s", "stand_up.rest_max_s",
            "stand_up.settle_tilt_rad", "stand_up.start_pose", "remote.round_trip_ms",
            "telemetry.decimation", "telemetry.batch", "telemetry.json_rate_hz",
            "mqtt.url", "mqtt.client_id", "mqtt.username", "mqtt.password", "mqtt.password_file",
            "mqtt.tls.truststore", "mqtt.tls.truststore_password", "mqtt.tls.keystore", "mqtt.tls.keystore_password",
            "mqtt.keepalive_s", "mqtt.max_inflight",
            "mqtt.reconnect_ms", "mqtt.max_commands_per_s", "mqtt.insecure",
            "cmd.operator_keys", "cmd.counter_file", "cmd.max_bytes", "cmd.max_verifies_per_s",
            "safety.link_timeout_s", "safety.estop_reset");

    /** Reads and checks a robot.properties file; relative paths in it are relative to its folder. */
    public static RobotConfig load(Path file) throws ConfigException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(p, base == null ? Path.of(".") : base);
    }

    /** Checks every key; the exception names the first bad one. */
    public static RobotConfig parse(Properties p, Path baseDir) throws ConfigException {
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith("device.") && !PolicyUpdateSettings.KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key");
            }
        }
        String id = required(p, "robot.id");
        if (!Topics.isValidRobotId(id)) {
            throw new ConfigException("robot.id", "must be 1-64 of [A-Za-z0-9_-], was \"" + id + "\"");
        }
        String model = p.getProperty("robot.model", "minitaur").trim();
        RobotSpec spec;
        try {
            spec = RobotSpec.named(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("robot.model", "must be one of " + RobotSpec.NAMES + ", was \"" + model + "\"");
        }
        String hal = required(p, "hal");
        if (!hal.equals("device") && !hal.startsWith("remote:") && !hal.equals("sim")) {
            throw new ConfigException("hal", "must be device or remote:HOST:PORT, was \"" + hal + "\"");
        }
        Path policyFile = path(p, "policy.file", baseDir);
        if (policyFile == null && p.getProperty("policy.store_dir") == null) {
            throw new ConfigException("policy.file", "set policy.file (or policy.store_dir for over-the-air updates)");
        }
        if (policyFile != null && !Files.isRegularFile(policyFile)) {
            throw new ConfigException("policy.file", "no such file: " + policyFile);
        }
        boolean requireSignature = bool(p, "policy.require_signature", true);
        Path keys = path(p, "policy.trusted_keys_dir", baseDir);
        if (requireSignature && policyFile != null && keys == null) {
            throw new ConfigException("policy.trusted_keys_dir", "needed to check the signature of policy.file "
                    + "(or set policy.require_signature=false)");
        }
        if (keys != null && !Files.isDirectory(keys)) {
            throw new ConfigException("policy.trusted_keys_dir", "not a folder: " + keys);
        }
        double rateHz = number(p, "loop.rate_hz", 0, 0, 1000);
        if (rateHz != 0 && rateHz < 50) {
            throw new ConfigException("loop.rate_hz", "must be 50..1000 Hz (or 0 for the policy's rate), was " + rateHz);
        }
        boolean force = bool(p, "loop.force_rate", false);
        int rt = (int) integer(p, "loop.rt_priority", 0, 0, 99);
        int cpu = (int) integer(p, "loop.cpu", -1, -1, 1023);
        long spinNs = integer(p, "loop.spin_us", DEFAULT_SPIN_US, 0, 5000) * 1000L;
        SafetyLimits d = SafetyLimits.defaults();
        SafetyLimits limits;
        try {
            limits = new SafetyLimits(
                    number(p, "safety.max_roll_rad", d.maxRollRad(), 0.01, 3.14),
                    number(p, "safety.max_pitch_rad", d.maxPitchRad(), 0.01, 3.14),
                    (int) integer(p, "safety.bad_sensor_cycles", d.badSensorCycles(), 1, 1000),
                    (int) integer(p, "safety.overrun_cycles", d.overrunCycles(), 1, 1000),
                    d.requiredValidMask(),
                    number(p, "safety.max_target_rate_rad_per_s", d.maxTargetRateRadPerS(), 0.01, 1000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("safety", e.getMessage());
        }
        if (p.getProperty("safety.stand_up_s") != null && p.getProperty("stand_up.ramp_s") != null) {
            throw new ConfigException("safety.stand_up_s", "is the old name of stand_up.ramp_s: set only stand_up.ramp_s");
        }
        StandUpSettings sd = StandUpSettings.defaults();
        String rampKey = p.getProperty("safety.stand_up_s") != null ? "safety.stand_up_s" : "stand_up.ramp_s";
        StandUpSettings standUp;
        try {
            standUp = new StandUpSettings(
                    Math.round(number(p, rampKey, sd.rampNs() * 1e-9, 0.0, 10.0) * 1e9),
                    number(p, "stand_up.settle_rate_rad_per_s", sd.settleRateRadPerS(), 0.01, 10.0),
                    Math.round(number(p, "stand_up.settle_hold_s", sd.settleHoldNs() * 1e-9, 0.0, 10.0) * 1e9),
                    Math.round(number(p, "stand_up.settle_max_s", sd.settleMaxNs() * 1e-9, 0.0, 10.0) * 1e9),
                    number(p, "stand_up.settle_tilt_rad", sd.settleTiltRad(), 0.01, 1.0),
                    Math.round(number(p, "stand_up.rest_max_s", sd.restMaxNs() * 1e-9, 0.0, 10.0) * 1e9));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("stand_up", e.getMessage());
        }
        double[] startPose = startPose(p, spec);
        int decimation = (int) integer(p, "telemetry.decimation", 10, 1, 1000);
        int batch = (int) integer(p, "telemetry.batch", 20, 1, 1000);
        jsonRateHz(p);
        cpuLatencyUs(p);
        roundTrip(p, hal);
        MqttSettings mqtt = mqtt(p, id, baseDir);
        int maxCmds = (int) integer(p, "mqtt.max_commands_per_s", 200, 1, 100_000);
        commandKeys(p, baseDir);
        linkTimeout(p);
        estopReset(p, hal);
        return new RobotConfig(id, spec, hal, policyFile, requireSignature, keys, rateHz, force, rt, cpu, spinNs, limits,
                standUp, startPose, decimation, batch, mqtt, maxCmds, p, baseDir);
    }

    /**
     * {@code stand_up.start_pose}: {@code resting} (default, legs folded), {@code standing}, or eight
     * motor angles in rad separated by commas, each within its motor's limits.
     */
    private static double[] startPose(Properties p, RobotSpec spec) throws ConfigException {
        String v = p.getProperty("stand_up.start_pose");
        if (v == null || v.isBlank() || v.trim().equals("resting")) {
            return null;
        }
        double[] pose = new double[spec.motorCount()];
        if (v.trim().equals("standing")) {
            spec.standingPose(pose);
            return pose;
        }
        String[] parts = v.split(",");
        if (parts.length != pose.length) {
            throw new ConfigException("stand_up.start_pose", "must be resting, standing or " + pose.length
                    + " angles in rad separated by commas, was \"" + v + "\"");
        }
        for (int m = 0; m < pose.length; m++) {
            try {
                pose[m] = Double.parseDouble(parts[m].trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("stand_up.start_pose", "angle " + (m + 1) + " is not a number: \"" + parts[m].trim() + "\"");
            }
            if (!Double.isFinite(pose[m]) || spec.clampPosition(m, pose[m]) != pose[m]) {
                throw new ConfigException("stand_up.start_pose", "angle " + (m + 1) + " (" + spec.motorName(m) + ") "
                        + pose[m] + " rad is outside the motor's limits");
            }
        }
        return pose;
    }

    /**
     * {@code telemetry.json_rate_hz}: JSON telemetry messages a second on {@code telemetry/json}
     * (default 20, 0 = off; checked by {@link #parse}).
     */
    public double telemetryJsonRateHz() {
        try {
            return jsonRateHz(raw);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** {@code loop.cpu_latency_us}: -1 (no request) or 0..100000. */
    public int cpuLatencyUs() {
        try {
            return cpuLatencyUs(raw);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static int cpuLatencyUs(Properties p) throws ConfigException {
        return (int) integer(p, "loop.cpu_latency_us", DEFAULT_CPU_LATENCY_US, -1,
                dev.chromatic.runtime.agent.CpuLatencyRequest.MAX_US);
    }

    private static double jsonRateHz(Properties p) throws ConfigException {
        return number(p, "telemetry.json_rate_hz", dev.chromatic.runtime.telemetry.TelemetryAgent.DEFAULT_JSON_RATE_HZ,
                0.0, dev.chromatic.runtime.telemetry.TelemetryAgent.MAX_JSON_RATE_HZ);
    }

    /** Loopback by name only (no DNS lookup at start): localhost or 127.0.0.0/8. */
    static boolean isLoopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static MqttSettings mqtt(Properties p, String id, Path baseDir) throws ConfigException {
        String url = p.getProperty("mqtt.url", "").trim();
        if (url.isEmpty()) {
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("mqtt.")) {
                    throw new ConfigException(k, "set mqtt.url too (no broker is configured)");
                }
            }
            return null;
        }
        if (!url.matches("(tcp|ssl)://[^\\s/:]+(:\\d{1,5})?")) {
            throw new ConfigException("mqtt.url", "must be tcp://HOST:PORT or ssl://HOST:PORT, was \"" + url + "\"");
        }
        boolean insecure = bool(p, "mqtt.insecure", false);
        if (url.startsWith("tcp://") && !isLoopback(url.substring("tcp://".length()).split(":")[0]) && !insecure) {
            throw new ConfigException("mqtt.url", "plain tcp:// to " + url + " sends commands, passwords and policies"
                    + " unencrypted over the network: use ssl:// with mqtt.tls.truststore, or set mqtt.insecure=true"
                    + " for a network you trust");
        }
        String clientId = p.getProperty("mqtt.client_id", "chromatic-" + id).trim();
        String user = p.getProperty("mqtt.username");
        char[] password = null;
        if (p.getProperty("mqtt.password") != null && p.getProperty("mqtt.password_file") != null) {
            throw new ConfigException("mqtt.password_file", "set either mqtt.password or mqtt.password_file");
        }
        if (p.getProperty("mqtt.password") != null) {
            password = p.getProperty("mqtt.password").toCharArray();
        }
        Path pwFile = path(p, "mqtt.password_file", baseDir);
        if (pwFile != null) {
            try {
                // the first line, as the tools' --password-file reads it: a trailing newline or comment lines never join the password
                List<String> lines = Files.readAllLines(pwFile, StandardCharsets.UTF_8);
                password = (lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray();
            } catch (IOException e) {
                throw new ConfigException("mqtt.password_file", "cannot read " + pwFile + ": " + e.getMessage());
            }
        }
        if (password != null && user == null) {
            throw new ConfigException("mqtt.username", "a password is set but no user name");
        }
        Path trust = path(p, "mqtt.tls.truststore", baseDir);
        if (trust != null && !url.startsWith("ssl://")) {
            throw new ConfigException("mqtt.tls.truststore", "only used with an ssl:// mqtt.url");
        }
        if (trust != null && !Files.isRegularFile(trust)) {
            throw new ConfigException("mqtt.tls.truststore", "no such file: " + trust);
        }
        String tpw = p.getProperty("mqtt.tls.truststore_password");
        Path keyStore = path(p, "mqtt.tls.keystore", baseDir);
        String kpw = p.getProperty("mqtt.tls.keystore_password");
        char[] keyStorePassword = kpw == null ? null : kpw.toCharArray();
        if (keyStore == null && kpw != null) {
            throw new ConfigException("mqtt.tls.keystore_password", "only used with mqtt.tls.keystore");
        }
        if (keyStore != null) {
            if (!url.startsWith("ssl://")) {
                throw new ConfigException("mqtt.tls.keystore", "only used with an ssl:// mqtt.url");
            }
            if (!Files.isRegularFile(keyStore)) {
                throw new ConfigException("mqtt.tls.keystore", "no such file: " + keyStore);
            }
            try {
                MqttLink.loadKeyStore(keyStore, keyStorePassword == null ? new char[0] : keyStorePassword);
            } catch (MqttLink.TlsFileException e) {
                throw new ConfigException(e.key(), e.problem());
            }
        }
        try {
            return new MqttSettings(url, clientId, user == null ? null : user.trim(), password, trust,
                    tpw == null ? null : tpw.toCharArray(), keyStore, keyStorePassword,
                    (int) integer(p, "mqtt.keepalive_s", 5, 1, 600),
                    (int) integer(p, "mqtt.max_inflight", 1000, 1, 65535),
                    integer(p, "mqtt.reconnect_ms", 500, 10, 60_000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mqtt", e.getMessage());
        }
    }

    /**
     * The command screening of docs/mqtt.md: operator keys from {@code cmd.operator_keys} (none:
     * only {@code estop} is accepted), the counter file {@code cmd.counter_file} (default
     * {@code operator-counters} in {@code policy.store_dir}), and the caps. Loads the keys and the
     * counters; unrelated files in the key folder go to {@code warnings}.
     */
    public CommandSettings commandSettings(Consumer<String> warnings) throws ConfigException {
        Path keysDir = commandKeys(raw, baseDir);
        OperatorKeys keys = OperatorKeys.none();
        CounterStore counters = CounterStore.inMemory();
        if (keysDir != null) {
            try {
                keys = OperatorKeys.fromDirectory(keysDir, warnings);
            } catch (IOException | PolicyFormatException e) {
                throw new ConfigException("cmd.operator_keys", e.getMessage());
            }
            if (keys.size() == 0) {
                warnings.accept("cmd.operator_keys: no *.pub key in " + keysDir + ": only estop will be accepted");
            }
            Path counterFile = path(raw, "cmd.counter_file", baseDir);
            if (counterFile == null) {
                counterFile = path(raw, "policy.store_dir", baseDir).resolve("operator-counters");
            }
            try {
                counters = CounterStore.open(counterFile);
            } catch (IOException e) {
                throw new ConfigException("cmd.counter_file", e.getMessage());
            }
        }
        try {
            return new CommandSettings(keys, counters, (int) integer(raw, "cmd.max_bytes", CommandSettings.DEFAULT_MAX_BYTES, 64, 4096),
                    maxCommandsPerSecond,
                    (int) integer(raw, "cmd.max_verifies_per_s", CommandSettings.DEFAULT_MAX_VERIFIES_PER_SECOND, 1, 10_000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cmd", e.getMessage());
        }
    }

    private static Path commandKeys(Properties p, Path baseDir) throws ConfigException {
        Path keysDir = path(p, "cmd.operator_keys", baseDir);
        if (keysDir == null) {
            for (String k : new String[] {"cmd.counter_file"}) {
                if (p.getProperty(k) != null) {
                    throw new ConfigException(k, "only used with cmd.operator_keys");
                }
            }
            return null;
        }
        if (!Files.isDirectory(keysDir)) {
            throw new ConfigException("cmd.operator_keys", "not a folder: " + keysDir);
        }
        if (p.getProperty("cmd.counter_file") == null && p.getProperty("policy.store_dir") == null) {
            throw new ConfigException("cmd.counter_file", "needed with cmd.operator_keys (or set policy.store_dir, "
                    + "whose folder then keeps operator-counters)");
        }
        integer(p, "cmd.max_bytes", CommandSettings.DEFAULT_MAX_BYTES, 64, 4096);
        integer(p, "cmd.max_verifies_per_s", CommandSettings.DEFAULT_MAX_VERIFIES_PER_SECOND, 1, 10_000);
        return keysDir;
    }

    /**
     * {@code safety.link_timeout_s}: while armed, how long the operator's link may stay silent (no
     * signed message, heartbeats included) before {@code link_lost} latches; 0 turns the check
     * (and the broker-loss check) off. Default 1 s.
     */
    public long linkTimeoutNs() {
        try {
            return linkTimeout(raw);
        } catch (ConfigException e) {
            throw new IllegalStateException("checked at parse", e);
        }
    }

    private static long linkTimeout(Properties p) throws ConfigException {
        double s = number(p, "safety.link_timeout_s", 1.0, 0.0, 60.0);
        if (s > 0 && s < 0.05) {
            throw new ConfigException("safety.link_timeout_s", "must be 0 (off) or at least 0.05 s, was " + s);
        }
        return Math.round(s * 1e9);
    }

    /**
     * {@code safety.estop_reset}: {@code local} (the default with {@code hal=device}) clears a latched
     * safe state only on a signed {@code reset} after the local reset input ({@code device.reset_pin})
     * was pressed; {@code remote} (the default otherwise) on the signed {@code reset} alone.
     */
    public boolean localEstopReset() {
        try {
            return estopReset(raw, hal);
        } catch (ConfigException e) {
            throw new IllegalStateException("checked at parse", e);
        }
    }

    private static boolean estopReset(Properties p, String hal) throws ConfigException {
        String v = p.getProperty("safety.estop_reset", hal.equals("device") ? "local" : "remote").trim();
        boolean local = switch (v) {
            case "local" -> true;
            case "remote" -> false;
            default -> throw new ConfigException("safety.estop_reset", "must be local or remote, was \"" + v + "\"");
        };
        if (local && !hal.equals("device")) {
            throw new ConfigException("safety.estop_reset", "local needs the device backend's reset input (hal=device)");
        }
        if (local && p.getProperty("device.reset_pin") == null) {
            throw new ConfigException("safety.estop_reset", "local needs a reset button on device.reset_pin "
                    + "(or set safety.estop_reset=remote to clear a latch with a signed reset alone)");
        }
        return local;
    }

    /**
     * The round trip the HIL link ({@code hal=remote:...}) may take, ns: {@code remote.round_trip_ms},
     * 0 (default) for a link that answers within one control period. See docs/hil.md.
     */
    public long remoteRoundTripNs() {
        try {
            return roundTrip(raw, hal);
        } catch (ConfigException e) {
            throw new IllegalStateException("checked at parse", e);
        }
    }

    private static long roundTrip(Properties p, String hal) throws ConfigException {
        double ms = number(p, "remote.round_trip_ms", 0, 0, 1000);
        if (ms > 0 && !hal.startsWith("remote:")) {
            throw new ConfigException("remote.round_trip_ms", "only used with hal=remote:HOST:PORT");
        }
        return Math.round(ms * 1e6);
    }

    /** The loop settings for a policy trained at {@code policyPeriodNs}; refuses a mismatch unless forced. */
    public LoopSettings loopSettings(long policyPeriodNs) throws ConfigException {
        long periodNs = rateHz == 0 ? policyPeriodNs : LoopSettings.periodOfHz(rateHz);
        if (!forceRate && !LoopSettings.samePeriod(periodNs, policyPeriodNs)) {
            throw new ConfigException("loop.rate_hz", rateHz + " Hz differs from the policy's control period of "
                    + policyPeriodNs + " ns; set loop.force_rate=true to run it anyway");
        }
        try {
            return new LoopSettings(periodNs, telemetryDecimation, 8, forceRate);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(rateHz == 0 ? "policy.file" : "loop.rate_hz", e.getMessage());
        }
    }

    private static String required(Properties p, String key) throws ConfigException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, "missing");
        }
        return v.trim();
    }

    private static Path path(Properties p, String key, Path baseDir) throws ConfigException {
        String v = p.getProperty(key);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new ConfigException(key, "empty path");
        }
        return baseDir.resolve(v.trim()).normalize();
    }

    private static boolean bool(Properties p, String key, boolean def) throws ConfigException {
        String v = p.getProperty(key);
        if (v == null) {
            return def;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false, was \"" + v + "\"");
        };
    }

    private static long integer(Properties p, String key, long def, long min, long max) throws ConfigException {
        String v = p.getProperty(key);
        long n;
        if (v == null) {
            n = def;
        } else {
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a whole number, was \"" + v + "\"");
            }
        }
        if (n < min || n > max) {
            throw new ConfigException(key, "must be in " + min + ".." + max + ", was " + n);
        }
        return n;
    }

    private static double number(Properties p, String key, double def, double min, double max) throws ConfigException {
        String v = p.getProperty(key);
        double x;
        if (v == null) {
            x = def;
        } else {
            try {
                x = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a number, was \"" + v + "\"");
            }
        }
        if (!(x >= min && x <= max)) {
            throw new ConfigException(key, "must be in " + min + ".." + max + ", was " + x);
        }
        return x;
    }
}
