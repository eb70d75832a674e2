package dev.chromatic.tools.hw;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.tools.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic hil-probe}: checks a HIL link and measures its round trip, before a robot uses it. */
@Command(name = "hil-probe", mixinStandardHelpOptions = true,
        description = {"Checks a HIL link to a running sim-server and measures its round trip.",
                "Connects as a robot would, holds the standing pose for --steps control periods and reports the",
                "command-to-frame round trip (p50/p99/max), the rate and the link counters (held and stale reads,",
                "duplicates, reordering). --paced runs at the control rate like the robot loop; without it, as fast",
                "as the server answers (lockstep throughput). Exit code 1 when any read was stale."})
public final class HilProbeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P", description = "Server UDP port.")
    int port;

    @Option(names = "--steps", defaultValue = "1000", description = "Commands to send (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--control-period-ms", defaultValue = "10", description = "Control period (default ${DEFAULT-VALUE}).")
    int controlPeriodMs;

    @Option(names = "--paced", description = "Send one command per control period at absolute deadlines.")
    boolean paced;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws HardwareException {
        if (port <= 0 || port > 65535) {
            throw new BadInputException("--port must be 1..65535, was " + port);
        }
        if (steps <= 0 || steps > 10_000_000) {
            throw new BadInputException("--steps must be 1..10000000, was " + steps);
        }
        if (controlPeriodMs < 1 || controlPeriodMs > 1000) {
            throw new BadInputException("--control-period-ms must be 1..1000, was " + controlPeriodMs);
        }
        long periodNs = controlPeriodMs * 1_000_000L;
        RobotSpec spec = RobotSpec.minitaur();
        NanoClock clock = NanoClock.system();
        long[] roundTripNs = new long[steps];
        int staleReads = 0;
        long startNs;
        long endNs;
        RemoteHardware.LinkStats stats;
        try (RemoteHardware robot = new RemoteHardware(host, port, spec, periodNs, periodNs, clock)) {
            robot.start();
            SensorFrame frame = new SensorFrame(spec.motorCount());
            MotorCommand cmd = new MotorCommand(spec.motorCount());
            cmd.mode = MotorCommand.Mode.POSITION;
            spec.standingPose(cmd.positionRad);
            robot.read(frame);
            startNs = clock.nanoTime();
            long deadlineNs = startNs;
            for (int k = 0; k < steps; k++) {
                if (paced) {
                    deadlineNs += periodNs;
                    for (long wait = deadlineNs - clock.nanoTime(); wait > 0; wait = deadlineNs - clock.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                long t0 = clock.nanoTime();
                robot.write(cmd);
                robot.read(frame);
                roundTripNs[k] = clock.nanoTime() - t0;
                if (robot.lastReadStale()) {
                    staleReads++;
                }
            }
            endNs = clock.nanoTime();
            stats = robot.stats();
        }
        Arrays.sort(roundTripNs);
        double p50Us = roundTripNs[(int) (0.50 * (steps - 1))] / 1e3;
        double p99Us = roundTripNs[(int) (0.99 * (steps - 1))] / 1e3;
        double maxUs = roundTripNs[steps - 1] / 1e3;
        double rateHz = steps / ((endNs - startNs) * 1e-9);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"steps\":%d,\"paced\":%b,\"round_trip_p50_us\":%.1f,\"round_trip_p99_us\":%.1f,"
                    + "\"round_trip_max_us\":%.1f,\"rate_hz\":%.1f,\"stale_reads\":%d,\"held_reads\":%d,\"duplicates\":%d,"
                    + "\"reordered\":%d,\"unanswered_commands\":%d,\"bad_checksums\":%d}%n", steps, paced, p50Us, p99Us,
                    maxUs, rateHz, staleReads, stats.heldReads, stats.duplicates, stats.reordered,
                    stats.unansweredCommands, stats.badChecksums);
        } else {
            System.out.printf(Locale.ROOT, "%d steps %s: round trip p50 %.1f us, p99 %.1f us, max %.1f us; %.0f steps/s%n",
                    steps, paced ? "paced" : "lockstep", p50Us, p99Us, maxUs, rateHz);
            System.out.println("link: " + stats + " staleReads=" + staleReads);
        }
        return staleReads == 0 ? 0 : 1;
    }
}
