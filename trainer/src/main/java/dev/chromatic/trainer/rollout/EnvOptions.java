package dev.chromatic.trainer.rollout;

import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.sim.SimConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a robot environment's episodes begin and how its simulator is randomised; ignored by the
 * classic tasks. Immutable; travels to cluster workers as {@link #toText()} (so a randomisation
 * file need not exist on their machines).
 *
 * @param start {@code robot}: every episode starts like a power-up of the robot (random start pose,
 *              time unpowered, stand-up, settle gate, then the policy); {@code standing}: the
 *              policy drives at once from the simulator's standing reset
 * @param randomize {@code none}, {@code default} (the reference ranges, docs/sim.md) or {@code file}
 * @param simSettings simulator settings applied after the mode's own (a randomisation file's
 *                    entries), sorted by key
 */
public record EnvOptions(String start, String randomize, Map<String, String> simSettings) {

    public EnvOptions {
        if (!start.equals("robot") && !start.equals("standing")) {
            throw new IllegalArgumentException("start must be robot or standing, was '" + start + "'");
        }
        if (!randomize.equals("none") && !randomize.equals("default") && !randomize.equals("file")) {
            throw new IllegalArgumentException("randomize must be none, default or a file, was '" + randomize + "'");
        }
        simSettings = java.util.Collections.unmodifiableMap(new TreeMap<>(simSettings));
        simConfig(start, randomize, simSettings, 10_000_000L, 0L);
    }

    /** The defaults of the robot environments: robot starts with the reference randomisation. */
    public static EnvOptions defaults() {
        return new EnvOptions("robot", "default", Map.of());
    }

    /** The nominal simulator, standing starts: the environment of earlier releases. */
    public static EnvOptions nominal() {
        return new EnvOptions("standing", "none", Map.of());
    }

    /**
     * Options from the command line: {@code randomize} is {@code none}, {@code default} or the path
     * of a properties file of simulator settings (docs/sim.md lists the keys; a file may start from
     * the reference ranges with {@code domainRandomization=true}).
     *
     * @throws IllegalArgumentException naming the bad value, file or key
     */
    public static EnvOptions parse(String start, String randomize) {
        String r = randomize.trim();
        if (r.equals("none") || r.equals("default")) {
            return new EnvOptions(start, r, Map.of());
        }
        Path file = Path.of(r);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("randomize: must be none, default or a settings file; no file '" + r + "'");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("randomize: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            settings.put(k, p.getProperty(k));
        }
        try {
            return new EnvOptions(start, "file", settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("randomize: " + file + ": " + e.getMessage());
        }
    }

    /**
     * The simulator settings for these options at a control period and seed.
     *
     * @throws IllegalArgumentException naming a bad simulator key or value
     */
    public SimConfig simConfig(long controlPeriodNs, long seed) {
        return simConfig(start, randomize, simSettings, controlPeriodNs, seed);
    }

    private static SimConfig simConfig(String start, String randomize, Map<String, String> simSettings, long controlPeriodNs, long seed) {
        SimConfig.Builder b = SimConfig.builder().controlPeriodNs(controlPeriodNs).seed(seed);
        if (randomize.equals("default")) {
            b.domainRandomization();
        }
        if (start.equals("robot")) {
            b.set("start", "powerup");
        }
        // the reference ranges first, whatever the key order, so that a file's own ranges override them
        String dr = simSettings.get("domainRandomization");
        if (dr != null) {
            b.set("domainRandomization", dr);
        }
        for (Map.Entry<String, String> e : simSettings.entrySet()) {
            if (!e.getKey().equals("domainRandomization")) {
                b.set(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    /** Episode settings of the robot loop for these options. */
    public RobotEpisode.Settings episodeSettings() {
        return start.equals("robot") ? RobotEpisode.Settings.robotStart()
                : new RobotEpisode.Settings(0.0, 0.0, false, dev.chromatic.runtime.loop.StandUpSettings.immediate(),
                        dev.chromatic.runtime.safety.SafetyLimits.defaults());
    }

    /**
     * The options to run {@code policy} with: {@code start} and {@code randomize} where given (null:
     * not given), else what the policy was trained with (its {@code env_options} metadata), else the
     * defaults.
     *
     * @throws IllegalArgumentException naming the bad option or unreadable metadata
     */
    public static EnvOptions forPolicy(Policy policy, String start, String randomize) {
        String recorded = policy.metadata().get("env_options");
        EnvOptions trained = defaults();
        if (recorded != null) {
            try {
                trained = fromText(recorded);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy: its env_options metadata is unreadable (" + e.getMessage()
                        + "); give --start and --randomize");
            }
        }
        if (start == null && randomize == null) {
            return trained;
        }
        if (randomize == null && trained.randomize().equals("file")) {
            return new EnvOptions(start, "file", trained.simSettings());
        }
        return parse(start != null ? start : trained.start(), randomize != null ? randomize : trained.randomize());
    }

    /** A canonical text form, the inverse of {@link #fromText}. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("start=").append(start).append('\n').append("randomize=").append(randomize).append('\n');
        simSettings.forEach((k, v) -> sb.append("sim.").append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** Parses {@link #toText()}. */
    public static EnvOptions fromText(String text) {
        String start = "robot";
        String randomize = "default";
        Map<String, String> sim = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("env options: bad line '" + line + "'");
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            if (k.equals("start")) {
                start = v;
            } else if (k.equals("randomize")) {
                randomize = v;
            } else if (k.startsWith("sim.")) {
                sim.put(k.substring(4), v);
            } else {
                throw new IllegalArgumentException("env options: unknown key '" + k + "'");
            }
        }
        return new EnvOptions(start, randomize, sim);
    }

    /** One line for logs and policy metadata. */
    public String describe() {
        return String.format(Locale.ROOT, "start=%s randomize=%s%s", start, randomize,
                simSettings.isEmpty() ? "" : " " + simSettings);
    }
}
