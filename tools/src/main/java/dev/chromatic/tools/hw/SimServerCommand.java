package dev.chromatic.tools.hw;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic sim-server}: the Bullet Minitaur as a UDP hardware-in-the-loop server (docs/hil.md). */
@Command(name = "sim-server", mixinStandardHelpOptions = true,
        description = {"Serves the simulated Minitaur over UDP for hardware-in-the-loop runs (docs/hil.md).",
                "The robot runtime with hal=remote:HOST:PORT sends each motor command; the server steps one control",
                "period and answers the sensor frame. Lockstep by default (deterministic); --realtime paces steps at",
                "wall-clock speed. Runs until interrupted (Ctrl-C) or --duration-s passes, then prints its counters."})
public final class SimServerCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "P", description = "UDP port (0 picks a free one and prints it).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 to accept a robot on the network).")
    String bind;

    @Option(names = "--realtime", description = "Pace steps at wall-clock speed; hold a missing command one period, then damp.")
    boolean realtime;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of every session's episode (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--control-period-ms", paramLabel = "MS", defaultValue = "10",
            description = "Control period; must equal the robot's (default ${DEFAULT-VALUE}).")
    int controlPeriodMs;

    @Option(names = "--domain-randomization", description = {"Randomise every quantity at its training range",
            "(masses, inertias, motors, friction, latencies, jitter, sensor noise and biases, pushes) from the seed."})
    boolean domainRandomization;

    @Option(names = "--randomize", paramLabel = "FILE", description = {"Simulator settings, one key = value a line",
            "(docs/sim.md), applied after --domain-randomization: e.g. other ranges, or start = powerup."})
    Path randomize;

    @Option(names = "--start", paramLabel = "MODE", description = {"How each episode starts: standing (at rest, the",
            "default) or powerup (lying, crouched or standing, slightly moving, drawn from the seed)."})
    String start;

    @Option(names = "--robot", paramLabel = "NAME", description = {"The robot simulated: minitaur (direct-drive motors,",
            "the default) or minitaur-servo (the hobby-servo build of docs/robot-build.md); the robot's robot.model",
            "must name the same. Overrides a robot key of --randomize."})
    String robot;

    @Option(names = "--duration-s", paramLabel = "S", defaultValue = "0",
            description = "Stop after this many seconds (0: run until interrupted).")
    double durationS;

    @Option(names = "--link-jitter-ms", paramLabel = "MS", defaultValue = "0",
            description = {"With --realtime: the link's delay varies by up to this much; wait that much longer for a",
                    "command before holding the last one (default: ${DEFAULT-VALUE})."})
    double linkJitterMs;

    @Option(names = "--json", description = "Print the closing counters as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be 0..65535, was " + port);
        }
        if (controlPeriodMs < 1 || controlPeriodMs > 1000) {
            throw new BadInputException("--control-period-ms must be 1..1000, was " + controlPeriodMs);
        }
        if (!(durationS >= 0) || Double.isInfinite(durationS)) {
            throw new BadInputException("--duration-s must be >= 0, was " + durationS);
        }
        long periodNs = controlPeriodMs * 1_000_000L;
        SimConfig settings = settings(periodNs);
        MinitaurSimFactory factory = MinitaurSimFactory.of(settings);
        SimServer server;
        try {
            if (!(linkJitterMs >= 0) || linkJitterMs > 1000) {
                throw new BadInputException("--link-jitter-ms must be in 0..1000, was " + linkJitterMs);
            }
            server = new SimServer(factory, 8, seed, realtime, bind, port, Math.round(linkJitterMs * 1e6), NanoClock.system());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot listen on udp " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        System.err.printf(Locale.ROOT, "sim-server: serving %s on udp://%s:%d (%s, seed %d, period %d ms, %s starts)%n",
                settings.robot, bind, server.port(), realtime ? "realtime" : "lockstep", seed, controlPeriodMs,
                settings.start.name().toLowerCase(Locale.ROOT));
        Thread serving = new Thread(server, "sim-server");
        serving.start();
        Thread hook = new Thread(server::close, "sim-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (durationS > 0) {
            serving.join((long) Math.ceil(durationS * 1000));
            server.close();
        }
        serving.join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
        SimServer.Stats s = server.stats();
        if (json) {
            System.out.printf(Locale.ROOT, "{\"port\":%d,\"realtime\":%b,\"seed\":%d,\"sessions\":%d,\"steps\":%d,"
                    + "\"commands\":%d,\"holds\":%d,\"damped_steps\":%d,\"duplicates\":%d,\"late\":%d,"
                    + "\"bad_checksums\":%d,\"bad_packets\":%d}%n", server.port(), realtime, seed, s.sessions, s.steps,
                    s.commandsReceived, s.holds, s.dampedSteps, s.duplicates, s.late, s.badChecksums, s.badPackets);
        } else {
            System.out.println("sim-server: " + s);
        }
        return 0;
    }

    /** The simulator settings every session uses (with its own seed), checked once here. */
    SimConfig settings(long periodNs) {
        SimConfig.Builder b = SimConfig.builder().controlPeriodNs(periodNs);
        try {
            if (domainRandomization) {
                b.domainRandomization();
            }
            if (randomize != null) {
                b.load(randomize);
            }
            if (start != null) {
                b.set("start", start);
            }
            if (robot != null) {
                try {
                    b.set("robot", robot);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--robot: " + e.getMessage());
                }
            }
            SimConfig config = b.build();
            if (config.controlPeriodNs != periodNs) {
                throw new BadInputException("--randomize " + randomize + " sets the control period to "
                        + config.controlPeriodNs / 1_000_000.0 + " ms; use --control-period-ms instead");
            }
            return config;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
