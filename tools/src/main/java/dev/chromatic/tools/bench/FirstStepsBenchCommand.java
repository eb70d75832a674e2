package dev.chromatic.tools.bench;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.app.PolicyLoader;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStep;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.run.LoopSession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the robot's policy warm-up buys: the cost of a policy's first controller steps in a fresh
 * JVM, with the robot's warm-up ({@link Controller#warmUp}) or without it. Run it once each way;
 * the JVM must be fresh for the cold figure, so one invocation measures one way.
 */
@Command(name = "first-steps", mixinStandardHelpOptions = true,
        description = "Wall time of a policy's first controller steps in this (fresh) JVM, after the robot's "
                + "warm-up or, with --no-warm-up, cold.")
public final class FirstStepsBenchCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, paramLabel = "FILE.cpol", description = "The policy to step.")
    Path policy;

    @Option(names = "--no-warm-up", description = "Step it cold, as a robot without the warm-up would.")
    boolean cold;

    @Option(names = "--steps", defaultValue = "3000", description = "Steps timed (100..1000000, default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (steps < 100 || steps > 1_000_000) {
            throw new BadInputException("--steps must be in 100..1000000, was " + steps);
        }
        RobotSpec robot = LoopSession.robotOf(policy);
        PolicyLoader.Loaded loaded = PolicyLoader.load(policy, TrustedKeys.none(), false, robot);
        long warmUpNs = 0;
        if (!cold) {
            long t0 = System.nanoTime();
            Controller.warmUp(loaded.file().policy(), robot, Controller.WARM_UP_STEPS);
            warmUpNs = System.nanoTime() - t0;
        }
        long[] ns = time(loaded.installed().step(), robot, steps);
        long first100 = 0;
        for (int i = 0; i < 100; i++) {
            first100 += ns[i];
        }
        long[] tail = Arrays.copyOfRange(ns, steps - Math.min(1000, steps / 2), steps);
        Arrays.sort(tail);
        double firstUs = ns[0] / 1e3;
        double first100Us = first100 / 100e3;
        double maxUs = Arrays.stream(ns).max().orElse(0) / 1e3;
        double steadyUs = tail[tail.length / 2] / 1e3;
        if (json) {
            spec.commandLine().getOut().println(new JsonWriter().put("warm_up", !cold)
                    .put("warm_up_ms", warmUpNs / 1e6).put("first_step_us", firstUs)
                    .put("first_100_mean_us", first100Us).put("max_us", maxUs).put("steady_median_us", steadyUs)
                    .put("steps", steps));
        } else {
            spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                    "%s: first step %.1f us, first 100 %.1f us each, max %.1f us, steady median %.2f us (warm-up %.1f ms)%n",
                    cold ? "cold" : "warmed up", firstUs, first100Us, maxUs, steadyUs, warmUpNs / 1e6);
        }
        return 0;
    }

    /** Times each of {@code n} steps on a standing robot with small varying readings. */
    private static long[] time(ControllerStep step, RobotSpec robot, int n) {
        SensorFrame f = new SensorFrame(robot.motorCount());
        MotorCommand out = new MotorCommand(robot.motorCount());
        double[] pose = new double[robot.motorCount()];
        robot.standingPose(pose);
        f.validMask = SensorFrame.VALID_ALL;
        f.accelZMps2 = 9.81;
        step.reset(0.0);
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < pose.length; m++) {
                f.motorAngleRad[m] = pose[m] + 0.01 * Math.sin(i * 0.1 + m);
            }
            f.rollRad = 0.02 * Math.sin(i * 0.05);
            long s = System.nanoTime();
            step.step(f, out);
            ns[i] = System.nanoTime() - s;
        }
        return ns;
    }
}
