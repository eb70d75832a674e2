package dev.chromatic.tools.run;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.tools.BadInputException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Option(names = "--spin-us", defaultValue = "100", description = "Spin this long before each deadline instead of sleeping (default ${DEFAULT-VALUE}).")
    long spinUs;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker for telemetry (default: embedded).")
    String broker;

    @Option(names = "--hal", defaultValue = "ideal", description = {"ideal: kinematic stand-in with ideal actuators, no physics",
            "(measures the runtime); sim: the Bullet simulator (measures runtime + physics). Default ${DEFAULT-VALUE}."})
    String hal;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

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
        if (!hal.equals("ideal") && !hal.equals("sim")) {
            throw new BadInputException("--hal must be ideal or sim, was " + hal);
        }
        long periodNs = Math.round(1e9 / rateHz);
        InstalledPolicy p = policy == null ? LoopSession.randomPolicy(periodNs, 7) : LoopSession.policyFromFile(policy, null);
        double total = seconds + Math.min(seconds / 4, 1.0);
        Map<String, Object> out = LoopSession.run(new LoopSession.Spec(p, periodNs, total, true, broker, 1,
                rtPriority, cpu, spinUs * 1000L, 1, true, hal.equals("sim"), dev.chromatic.trainer.rollout.EnvOptions.nominal(),
                policy == null ? dev.chromatic.hal.RobotSpec.minitaur() : LoopSession.robotOf(policy)));
        out.put("seconds", seconds);
        out.put("spin_us", spinUs);
        out.put("load_average_1m", loadAverage());
        if (json) {
            System.out.println(Json.write(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + (v instanceof Map<?, ?> m ? Json.write(cast(m)) : v)));
        }
        return 0;
    }

    private static double loadAverage() {
        return LoopSession.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }
}
