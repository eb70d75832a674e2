package dev.chromatic.tools.run;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.agent.CpuLatencyRequest;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic bench loop}: the real-time control loop at 1 kHz with telemetry on,
 * recording each cycle's wake-up lateness in an HdrHistogram. Run it under {@code chrt -f 80} (or with
 * {@code --rt-priority}) to see what real-time scheduling buys.
 */
@Command(name = "loop", mixinStandardHelpOptions = true,
        description = {"The control loop in real time (default 1 kHz, 60 s) with telemetry (decimation 1) to an",
                "embedded broker: wake-up lateness p50/p99/p99.9/max, missed periods, overruns, bytes allocated",
                "per cycle on the loop thread. Policy: --policy FILE or a random chromatic PMTG policy."})
public final class LoopBenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "60", description = "Measured duration (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rate", defaultValue = "1000", description = "Control rate in Hz, 50..1000 (default ${DEFAULT-VALUE}).")
    double rateHz;

    @Option(names = "--policy", paramLabel = "FILE.cpol", description = "Run this policy (its rate is overridden by --rate).")
    Path policy;

    @Option(names = "--rt-priority", defaultValue = "0", description = "SCHED_FIFO priority 1..99 for the loop thread (0: as started).")
    int rtPriority;

    @Option(names = "--cpu", defaultValue = "-1", description = "Pin the loop thread to this CPU (-1: no pinning).")
    int cpu;

    @Option(names = "--spin-us", defaultValue = "300", description = "Spin this long before each deadline instead of sleeping (default ${DEFAULT-VALUE}).")
    long spinUs;

    @Option(names = "--cpu-latency-us", defaultValue = "0", description = {"Hold the CPUs' wake-up latency at this many us while the",
            "loop runs (/dev/cpu_dma_latency, as cyclictest does; -1: leave it alone; default ${DEFAULT-VALUE}, as the robot)."})
    int cpuLatencyUs;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker for telemetry (default: embedded).")
    String broker;

    @Option(names = "--hal", defaultValue = "ideal", description = {"ideal: kinematic stand-in with ideal actuators, no physics",
            "(measures the runtime); sim: the Bullet simulator (measures runtime + physics). Default ${DEFAULT-VALUE}."})
    String hal;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--baseline", paramLabel = "cyclictest", description = {"Also measure cyclictest (Debian rt-tests) at the",
            "same rate, priority, CPU and --cpu-latency-us, alternating blocks with the loop; --seconds is each side's total."})
    String baseline;

    @Option(names = "--block-seconds", defaultValue = "5", description = "Block length with --baseline (default ${DEFAULT-VALUE}).")
    double blockSeconds;

    @Override
    public Integer call() throws Exception {
        if (!(seconds >= 1) || seconds > 3600) {
            throw new BadInputException("--seconds must be in 1..3600, was " + seconds);
        }
        if (rateHz < 50 || rateHz > 1000) {
            throw new BadInputException("--rate must be in 50..1000 Hz, was " + rateHz);
        }
        if (rtPriority < 0 || rtPriority > 99) {
            throw new BadInputException("--rt-priority must be in 0..99, was " + rtPriority);
        }
        if (spinUs < 0 || spinUs > 5000) {
            throw new BadInputException("--spin-us must be in 0..5000, was " + spinUs);
        }
        if (cpuLatencyUs < -1 || cpuLatencyUs > CpuLatencyRequest.MAX_US) {
            throw new BadInputException("--cpu-latency-us must be -1 (leave it alone) or in 0.." + CpuLatencyRequest.MAX_US
                    + ", was " + cpuLatencyUs);
        }
        if (!hal.equals("ideal") && !hal.equals("sim")) {
            throw new BadInputException("--hal must be ideal or sim, was " + hal);
        }
        if (baseline != null && !baseline.equals("cyclictest")) {
            throw new BadInputException("--baseline must be cyclictest, was " + baseline);
        }
        if (baseline != null && !(blockSeconds >= 1 && blockSeconds <= seconds)) {
            throw new BadInputException("--block-seconds must be in 1..--seconds, was " + blockSeconds);
        }
        long periodNs = Math.round(1e9 / rateHz);
        InstalledPolicy p = policy == null ? LoopSession.randomPolicy(periodNs, 7) : LoopSession.policyFromFile(policy, null);
        Map<String, Object> out;
        if (baseline == null) {
            out = LoopSession.run(spec(p, periodNs, seconds, broker));
        } else {
            Cyclictest cyclictest = Cyclictest.find();
            if (cyclictest == null) {
                System.err.println("bench loop: cyclictest not found (Debian: apt-get install rt-tests); measuring the loop alone");
                out = LoopSession.run(spec(p, periodNs, seconds, broker));
                out.put("baseline", null);
                out.put("baseline_skipped", "cyclictest not found");
            } else {
                out = sideBySide(cyclictest, p, periodNs);
            }
        }
        out.put("seconds", seconds);
        out.put("spin_us", spinUs);
        out.put("cpu_latency_us", cpuLatencyUs);
        out.put("load_average_1m", loadAverage());
        if (json) {
            System.out.println(Json.write(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + (v instanceof Map<?, ?> m ? Json.write(cast(m)) : v)));
        }
        return 0;
    }

    private LoopSession.Spec spec(InstalledPolicy p, long periodNs, double measuredSeconds, String url) throws Exception {
        double total = measuredSeconds + Math.min(measuredSeconds / 4, 1.0);
        return new LoopSession.Spec(p, periodNs, total, true, url, 1, rtPriority, cpu, spinUs * 1000L, cpuLatencyUs, 1, true,
                hal.equals("sim"), EnvOptions.nominal(), CommandSettings.estopOnly(),
                policy == null ? RobotSpec.minitaur() : LoopSession.robotOf(policy), RunCommand.DEFAULT_ROBOT_ID);
    }

    /**
     * Alternating blocks of cyclictest and the loop (one at a time, same rate, priority and CPU), each
     * side {@code seconds} in all; the loop's figures pooled over its blocks (warm-up of each block
     * excluded) keep the loop's usual keys at the top level.
     */
    private Map<String, Object> sideBySide(Cyclictest cyclictest, InstalledPolicy p, long periodNs) throws Exception {
        int blocks = (int) Math.ceil(seconds / blockSeconds - 1e-9);
        double block = seconds / blocks;
        Histogram base = new Histogram(1, 60_000_000_000L, 3);
        Histogram loop = new Histogram(1, 60_000_000_000L, 3);
        EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start("127.0.0.1", 0) : null;
        String url = embedded != null ? embedded.url() : broker;
        Map<String, Object> out = null;
        long cycles = 0;
        long missed = 0;
        long overruns = 0;
        long sent = 0;
        long dropped = 0;
        double allocBytes = 0;
        try {
            for (int i = 0; i < blocks; i++) {
                cyclictest.run(periodNs / 1000L, block, rtPriority, cpu, cpuLatencyUs, base);
                Map<String, Object> b = LoopSession.run(spec(p, periodNs, block, url), loop);
                long c = ((Number) b.get("cycles")).longValue();
                cycles += c;
                missed += ((Number) b.get("missed")).longValue();
                overruns += ((Number) b.get("overruns")).longValue();
                sent += ((Number) b.get("telemetry_sent")).longValue();
                dropped += ((Number) b.get("telemetry_dropped")).longValue();
                allocBytes += ((Number) b.get("alloc_bytes_per_cycle")).doubleValue() * c;
                out = b;
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        out.put("cycles", cycles);
        out.put("missed", missed);
        out.put("overruns", overruns);
        out.put("telemetry_sent", sent);
        out.put("telemetry_dropped", dropped);
        out.put("alloc_bytes_per_cycle", LoopSession.round(allocBytes / Math.max(1, cycles), 3));
        Map<String, Object> loopSide = latency(loop, periodNs);
        out.put("lateness_us", new LinkedHashMap<>(loopSide));
        out.remove("broker");
        out.put("broker", broker == null ? "embedded" : broker);
        Map<String, Object> baseSide = latency(base, periodNs);
        loopSide.put("missed", missed);
        loopSide.put("overruns", overruns);
        Map<String, Object> ratio = new LinkedHashMap<>();
        for (String k : new String[] {"p99", "p999", "max", "late_over_period"}) {
            double l = ((Number) loopSide.get(k)).doubleValue();
            double b = ((Number) baseSide.get(k)).doubleValue();
            ratio.put(k, LoopSession.round((l + 1) / (b + 1), 3));
        }
        baseSide.put("samples", base.getTotalCount());
        baseSide.put("command", String.join(" ", cyclictest.command(periodNs / 1000L, block, rtPriority, cpu, cpuLatencyUs)));
        out.put("baseline", baseSide);
        out.put("loop", loopSide);
        out.put("ratio", ratio);
        out.put("blocks", blocks);
        out.put("block_seconds", LoopSession.round(block, 3));
        return out;
    }

    /** p50, p99, p99.9 and max in microseconds, and the wake-ups later than one period. */
    static Map<String, Object> latency(Histogram h, long periodNs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", LoopSession.round(h.getValueAtPercentile(50) / 1000.0, 1));
        m.put("p99", LoopSession.round(h.getValueAtPercentile(99) / 1000.0, 1));
        m.put("p999", LoopSession.round(h.getValueAtPercentile(99.9) / 1000.0, 1));
        m.put("max", LoopSession.round(h.getMaxValue() / 1000.0, 1));
        m.put("late_over_period", h.getMaxValue() <= periodNs ? 0L : h.getCountBetweenValues(periodNs + 1, h.getMaxValue()));
        return m;
    }

    private static double loadAverage() {
        return LoopSession.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }
}
