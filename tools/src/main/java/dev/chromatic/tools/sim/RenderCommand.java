package dev.chromatic.tools.sim;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.ControllerStep;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import dev.chromatic.sim.render.RunPictures;
import dev.chromatic.sim.render.Trajectory;
import dev.chromatic.sim.task.MinitaurWalkTask;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import dev.chromatic.trainer.rollout.RobotEpisode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code chromatic render}: runs a policy (or the open-loop trot) on the simulated Minitaur and
 * writes {@code robot.gif}, {@code gait.png} and {@code base.png} into a directory.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Runs a .cpol policy (float64 network, through the robot's controller stack) or the open-loop "
                + "trot on the simulated Minitaur and writes robot.gif (side and top stick figures), gait.png (foot "
                + "contacts over time) and base.png (base height and forward velocity) into --out. The run goes "
                + "through the robot's own loop: a robot start (unpowered, stand-up, settle gate) comes first.")
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

    @Option(names = "--randomize", paramLabel = "none|default|FILE",
            description = "Domain randomisation (default: what the policy was trained with; none for the trot).")
    String randomize;

    @Option(names = "--start", paramLabel = "robot|standing",
            description = "How the run starts (default: what the policy was trained with; standing for the trot).")
    String start;

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
        Policy policy = null;
        String title;
        if (policyFile != null) {
            policy = readPolicy(policyFile);
            String stack = policy.stack();
            if (env != null && !env.equals(stack)) {
                throw new BadInputException("--env " + env + " does not match the policy's stack '" + stack + "'");
            }
            if (!ENVS.contains(stack)) {
                throw new BadInputException("--env: render draws the Minitaur; policy stack '" + stack
                        + "' is not one of " + ENVS);
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
        EnvOptions options = policy == null ? EnvOptions.nominal() : options(policy, start, randomize);
        Rendered r = draw(policy, title, options, seconds, seed, out);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(r.json());
        } else {
            r.print(w);
        }
        return 0;
    }

    /** What a drawn run did; {@code fellAtS} counts from the hand-over to the policy, -1 when it did not fall. */
    record Rendered(List<Path> files, double seconds, double distanceM, double reward, double fellAtS, String title) {

        String json() {
            return new JsonWriter().put("gif", files.get(0).toString()).put("gait", files.get(1).toString())
                    .put("plots", files.get(2).toString()).put("seconds", seconds)
                    .put("distance_m", distanceM).put("reward", reward).put("fell", fellAtS >= 0)
                    .put("fell_at_s", fellAtS >= 0 ? fellAtS : Double.NaN).end();
        }

        void print(PrintWriter w) {
            w.printf(Locale.ROOT, "%s: %.2f s, forward %.3f m, reward %.4f, %s%n", title, seconds, distanceM, reward,
                    fellAtS >= 0 ? String.format(Locale.ROOT, "fell at %.2f s", fellAtS) : "did not fall");
            for (Path f : files) {
                w.println("wrote " + f);
            }
            w.flush();
        }
    }

    /**
     * Runs a policy (float64 network), or the open-loop trot when {@code policy} is null, through the
     * robot's loop on the simulator (the start, stand-up and settle gate of {@code options} first)
     * and draws the whole run into {@code outDir}. {@code seconds} is the time the policy drives.
     */
    static Rendered draw(Policy policy, String title, EnvOptions options, double seconds, long seed, Path outDir)
            throws IOException {
        long periodNs = policy == null ? SimConfig.defaults().controlPeriodNs : policy.controlPeriodNs();
        if (periodNs % SimConfig.SUBSTEP_NS != 0) {
            throw new BadInputException("policy control period " + periodNs + " ns is not a multiple of 1 ms");
        }
        int steps = (int) Math.ceil(seconds * 1e9 / periodNs);
        RobotEpisode.Settings settings = options.episodeSettings();
        long preCycles = Math.round(settings.unpoweredMaxS() * 1e9 / periodNs)
                + (settings.standUp().restMaxNs() + settings.standUp().rampNs() + settings.standUp().settleMaxNs()) / periodNs + 8;
        Trajectory trajectory = new Trajectory((int) (steps + preCycles + 1));
        RobotEpisode.Observer record = (loop, sim, policyStep) -> trajectory.record(sim);
        RobotEpisode.Result r;
        MinitaurWalkTask task = new MinitaurWalkTask(Integer.MAX_VALUE);
        if (policy != null) {
            String stack = MinitaurTrainingEnv.envFor(policy.robot(), policy.stack());
            try (MinitaurTrainingEnv env = MinitaurTrainingEnv.create(stack, options)) {
                if (env.controlPeriodNs() != periodNs) {
                    throw new BadInputException("policy control period " + periodNs + " ns differs from the "
                            + stack + " environment's " + env.controlPeriodNs() + " ns");
                }
                env.setActionScaling(policy.actionScale(), policy.actionOffset());
                try {
                    r = env.runEpisode(seed, FloatNetwork.of(policy), policy.obsMean(), policy.obsStd(), policy.obsClip(),
                            steps, null, record);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("policy does not fit its stack: " + e.getMessage());
                }
                r = copy(r);
            }
        } else {
            try (MinitaurSim sim = MinitaurSim.create(options.simConfig(periodNs, seed))) {
                sim.start();
                RobotEpisode episode = new RobotEpisode(sim, task, settings);
                r = episode.run(seed, new TrotStep(OpenLoopTrot.reference(sim.spec()), periodNs), steps, record,
                        new RobotEpisode.Result());
            }
        }
        List<Path> files = RunPictures.write(trajectory, periodNs * 1e-9, title, outDir);
        double fellAtS = r.fell ? r.policySteps * periodNs * 1e-9 : -1;
        return new Rendered(files, r.policySteps * periodNs * 1e-9, r.distanceM, r.reward, fellAtS, title);
    }

    private static RobotEpisode.Result copy(RobotEpisode.Result r) {
        RobotEpisode.Result c = new RobotEpisode.Result();
        c.reward = r.reward;
        c.policySteps = r.policySteps;
        c.distanceM = r.distanceM;
        c.fell = r.fell;
        return c;
    }

    /** The open-loop reference trot as a controller the robot's loop can run: targets from the time since the hand-over. */
    private static final class TrotStep implements ControllerStep {
        private final OpenLoopTrot trot;
        private final long periodNs;
        private final double[] none = new double[0];
        private long steps;

        TrotStep(OpenLoopTrot trot, long periodNs) {
            this.trot = trot;
            this.periodNs = periodNs;
        }

        @Override
        public void reset(double startPhaseRad) {
            steps = 0;
        }

        @Override
        public void step(SensorFrame frame, MotorCommand out) {
            trot.command(steps * periodNs, out);
            steps++;
        }

        @Override
        public double[] observation() {
            return none;
        }

        @Override
        public double[] action() {
            return none;
        }
    }

    /**
     * Draws a policy's run as {@code render --policy FILE} does, for the {@code --render DIR} option
     * of other commands; its report lines go to stderr so their stdout (e.g. one JSON object) stays
     * clean. Returns the exit code.
     */
    public static int drawTo(Path policyFile, double seconds, long seed, Path outDir) throws Exception {
        Policy policy = readPolicy(policyFile);
        if (!ENVS.contains(policy.stack())) {
            throw new BadInputException("--render draws the Minitaur; policy stack '" + policy.stack() + "' is not one of " + ENVS);
        }
        Rendered r = draw(policy, policyFile.getFileName() + " (" + policy.stack() + ")",
                options(policy, null, null), seconds, seed, outDir);
        r.print(new PrintWriter(System.err, true));
        return 0;
    }

    private static EnvOptions options(Policy policy, String start, String randomize) {
        try {
            return EnvOptions.forPolicy(policy, start, randomize);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }

    private static Policy readPolicy(Path file) throws Exception {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--policy: no such file " + file);
        }
        return PolicySidecar.withMetadata(file, bytes, PolicyFiles.load(bytes, TrustedKeys.none(), false));
    }
}
