package dev.chromatic.tools.sim;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import dev.chromatic.sim.render.RunPictures;
import dev.chromatic.sim.render.Trajectory;
import dev.chromatic.sim.task.MinitaurWalkTask;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic render}: runs a policy (or the open-loop trot) on the simulated Minitaur and
 * writes {@code robot.gif}, {@code gait.png} and {@code base.png} into a directory.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Runs a .cpol policy (float64 network, through the robot's controller stack) or the open-loop "
                + "trot on the simulated Minitaur and writes robot.gif (side and top stick figures), gait.png (foot "
                + "contacts over time) and base.png (base height and forward velocity) into --out.")
public final class RenderCommand implements Callable<Integer> {

    static final List<String> ENVS = List.of("minitaur-pmtg", "minitaur-direct");

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (.cpol) to run.")
    Path policyFile;

    @Option(names = "--gait", paramLabel = "NAME", description = "Run a built-in open-loop gait instead of a policy: trot.")
    String gait;

    @Option(names = "--env", description = "Environment: minitaur-pmtg or minitaur-direct (default: the policy's stack).")
    String env;

    @Option(names = "--seconds", defaultValue = "5", description = "Simulated seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "1", description = "Episode seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the pictures (created).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((policyFile == null) == (gait == null)) {
            throw new BadInputException("give exactly one of --policy FILE or --gait trot");
        }
        if (!(seconds > 0) || seconds > 600) {
            throw new BadInputException("--seconds must be in (0, 600], was " + seconds);
        }
        Controller controller = null;
        String title;
        long controlPeriodNs = SimConfig.defaults().controlPeriodNs;
        if (policyFile != null) {
            Policy policy = readPolicy(policyFile);
            String stack = policy.stack();
            if (env != null && !env.equals(stack)) {
                throw new BadInputException("--env " + env + " does not match the policy's stack '" + stack + "'");
            }
            if (!ENVS.contains(stack)) {
                throw new BadInputException("--env: render draws the Minitaur; policy stack '" + stack
                        + "' is not one of " + ENVS);
            }
            controlPeriodNs = policy.controlPeriodNs();
            if (controlPeriodNs % SimConfig.SUBSTEP_NS != 0) {
                throw new BadInputException("policy control period " + controlPeriodNs + " ns is not a multiple of 1 ms");
            }
            try {
                controller = Controller.of(policy, FloatNetwork.of(policy), dev.chromatic.hal.RobotSpec.minitaur());
            } catch (IllegalArgumentException e) {
                throw new BadInputException("policy does not fit its stack: " + e.getMessage());
            }
            title = policyFile.getFileName() + " (" + stack + ")";
        } else {
            if (!"trot".equals(gait)) {
                throw new BadInputException("--gait: unknown gait '" + gait + "', expected trot");
            }
            if (env != null && !ENVS.contains(env)) {
                throw new BadInputException("--env: unknown env '" + env + "', expected one of " + ENVS);
            }
            title = "open-loop trot";
        }

        SimConfig config = SimConfig.builder().controlPeriodNs(controlPeriodNs).seed(seed).build();
        int steps = (int) Math.ceil(seconds * 1e9 / controlPeriodNs);
        Trajectory trajectory = new Trajectory(steps + 1);
        MinitaurWalkTask task = new MinitaurWalkTask(Integer.MAX_VALUE);
        double totalReward = 0;
        double fellAtS = -1;
        double[] pos = new double[3];
        try (MinitaurSim sim = MinitaurSim.create(config)) {
            sim.reset(seed);
            task.reset(sim);
            SensorFrame frame = new SensorFrame(sim.spec().motorCount());
            MotorCommand command = new MotorCommand(sim.spec().motorCount());
            OpenLoopTrot trot = OpenLoopTrot.reference(sim.spec());
            if (controller != null) {
                controller.reset();
            }
            trajectory.record(sim);
            for (int i = 0; i < steps; i++) {
                sim.read(frame);
                if (controller != null) {
                    controller.step(frame, command);
                } else {
                    trot.command(sim.simTimeNs(), command);
                }
                sim.write(command);
                totalReward += task.reward(sim);
                if (task.fell() && fellAtS < 0) {
                    fellAtS = sim.simTimeNs() * 1e-9;
                }
                trajectory.record(sim);
            }
            sim.basePosition(pos);
        }
        List<Path> files = RunPictures.write(trajectory, controlPeriodNs * 1e-9, title, out);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(new JsonWriter().put("gif", files.get(0).toString()).put("gait", files.get(1).toString())
                    .put("plots", files.get(2).toString()).put("seconds", steps * controlPeriodNs * 1e-9)
                    .put("distance_m", pos[0]).put("reward", totalReward).put("fell", fellAtS >= 0)
                    .put("fell_at_s", fellAtS >= 0 ? fellAtS : Double.NaN));
        } else {
            w.printf(Locale.ROOT, "%s: %.2f s, forward %.3f m, reward %.4f, %s%n", title, steps * controlPeriodNs * 1e-9,
                    pos[0], totalReward, fellAtS >= 0 ? String.format(Locale.ROOT, "fell at %.2f s", fellAtS) : "did not fall");
            for (Path f : files) {
                w.println("wrote " + f);
            }
        }
        return 0;
    }

    /**
     * Draws a policy's run as {@code render --policy FILE} does, for the {@code --render DIR} option
     * of other commands; its report lines go to stderr so their stdout (e.g. one JSON object) stays
     * clean. Returns the exit code.
     */
    public static int drawTo(Path policyFile, double seconds, long seed, Path outDir) {
        CommandLine cli = dev.chromatic.tools.Main.commandLine();
        PrintWriter err = new PrintWriter(System.err, true);
        cli.setOut(err);
        cli.setErr(err);
        return cli.execute("render", "--policy", policyFile.toString(), "--seconds", Double.toString(seconds),
                "--seed", Long.toString(seed), "--out", outDir.toString());
    }

    private static Policy readPolicy(Path file) throws Exception {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--policy: no such file " + file);
        }
        return PolicyFiles.load(bytes, TrustedKeys.none(), false).policy();
    }
}
