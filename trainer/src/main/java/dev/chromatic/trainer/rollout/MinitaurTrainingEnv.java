package dev.chromatic.trainer.rollout;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStack;
import dev.chromatic.runtime.stack.ControllerStacks;
import dev.chromatic.runtime.stack.DirectStack;
import dev.chromatic.runtime.stack.PmtgStack;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.task.MinitaurWalkTask;
import dev.chromatic.trainer.es.ObservationStats;
import java.util.List;

/**
 * The Minitaur walking environments: the Bullet simulator behind the HAL + the {@code minitaur-walk}
 * task + the robot's own {@link Controller} with the {@code minitaur-pmtg} or {@code minitaur-direct}
 * stack, run by the robot's own loop ({@link RobotEpisode}: stand-up, settle gate, safety
 * supervisor and rate limit included). On the Minitaur the env id is the stack id; the
 * {@code minitaur-servo-*} envs run the same stacks on the hobby-servo build ({@code robot=minitaur-servo}).
 * {@link EnvOptions} say how episodes start and how the simulator is randomised; one physics space
 * per instance, reused across episodes.
 */
public final class MinitaurTrainingEnv implements TrainingEnv {

    /** Prefix of the servo robot's env ids: {@code minitaur-servo-pmtg} runs the {@code minitaur-pmtg} stack on it. */
    public static final String SERVO_PREFIX = "minitaur-servo-";

    public static final List<String> IDS = List.of(PmtgStack.ID, DirectStack.ID,
            SERVO_PREFIX + "pmtg", SERVO_PREFIX + "direct");

    /** The robot an env id simulates. */
    public static String robotOf(String envId) {
        return envId.startsWith(SERVO_PREFIX) ? SimConfig.SERVO_ROBOT : "minitaur";
    }

    /** The controller stack an env id runs. */
    public static String stackOf(String envId) {
        return envId.startsWith(SERVO_PREFIX) ? "minitaur-" + envId.substring(SERVO_PREFIX.length()) : envId;
    }

    /** The env id of a robot and stack (what {@code eval} runs a policy in by default). */
    public static String envFor(String robot, String stackId) {
        return SimConfig.SERVO_ROBOT.equals(robot) && stackId.startsWith("minitaur-")
                ? SERVO_PREFIX + stackId.substring("minitaur-".length()) : stackId;
    }

    private final String id;
    private final EnvOptions options;
    private final MinitaurSim sim;
    private final ControllerStack stack;
    private final MinitaurWalkTask task;
    private final RobotEpisode episode;
    private final RobotEpisode.Result result = new RobotEpisode.Result();
    private final double[][] scaling;
    private Controller controller;
    private NetworkEvaluator controllerNetwork;
    private double[] controllerMean;
    private double[] controllerStd;
    private double controllerClip;
    private ObservationStats stats;
    private final RobotEpisode.Observer collectStats = (loop, s, policyStep) -> {
        if (policyStep && stats != null) {
            stats.add(controller.observation());
        }
    };

    private MinitaurTrainingEnv(String id, EnvOptions options) {
        this.id = id;
        this.options = options;
        this.sim = MinitaurSim.create(simConfig(id, options, 10_000_000L, 0L));
        this.sim.start();
        RobotSpec spec = sim.spec();
        this.stack = ControllerStacks.create(stackOf(id), spec, sim.config().controlPeriodNs);
        this.task = new MinitaurWalkTask();
        this.episode = new RobotEpisode(sim, task, options.episodeSettings());
        this.scaling = ControllerStacks.defaultActionScaling(stackOf(id));
    }

    /**
     * The simulator settings of env {@code id} with {@code options}: the options' settings on the env's
     * robot. A settings file that names another robot is refused.
     *
     * @throws IllegalArgumentException naming the bad key
     */
    public static SimConfig simConfig(String id, EnvOptions options, long controlPeriodNs, long seed) {
        String robot = robotOf(id);
        String asked = options.simSettings().get("robot");
        if (asked != null && !asked.trim().equals(robot)) {
            throw new IllegalArgumentException("robot: the env " + id + " simulates " + robot + ", the settings ask for "
                    + asked.trim());
        }
        return options.simConfig(controlPeriodNs, seed).toBuilder().set("robot", robot).build();
    }

    /** The environment {@code id} (one of {@link #IDS}) with the given options. */
    public static MinitaurTrainingEnv create(String id, EnvOptions options) {
        if (!IDS.contains(id)) {
            throw new IllegalArgumentException("unknown Minitaur env '" + id + "', expected one of " + IDS);
        }
        return new MinitaurTrainingEnv(id, options);
    }

    public EnvOptions options() {
        return options;
    }

    /** The simulator (for views of the last episode). */
    public MinitaurSim sim() {
        return sim;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int observationDim() {
        return stack.observationDim();
    }

    @Override
    public int actionDim() {
        return stack.actionDim();
    }

    @Override
    public int maxSteps() {
        return task.maxSteps();
    }

    @Override
    public double[] actionScale() {
        return scaling[0].clone();
    }

    @Override
    public double[] actionOffset() {
        return scaling[1].clone();
    }

    @Override
    public long controlPeriodNs() {
        return stack.controlPeriodNs();
    }

    @Override
    public void setActionScaling(double[] scale, double[] offset) {
        System.arraycopy(scale, 0, scaling[0], 0, scaling[0].length);
        System.arraycopy(offset, 0, scaling[1], 0, scaling[1].length);
    }

    @Override
    public String robot() {
        return sim.spec().name();
    }

    @Override
    public String stack() {
        return stack.id();
    }

    @Override
    public String task() {
        return task.id();
    }

    @Override
    public Episode run(long seed, NetworkEvaluator network, double[] obsMean, double[] obsStd, double obsClip,
            int maxSteps, ObservationStats stats, Episode out) {
        RobotEpisode.Result r = runEpisode(seed, network, obsMean, obsStd, obsClip, maxSteps, stats, null);
        out.clear();
        out.totalReward = r.reward;
        out.steps = r.policySteps;
        out.distanceM = r.distanceM;
        out.fell = r.fell;
        return out;
    }

    /**
     * Runs one episode through the robot's loop and returns its full result (owned by this env,
     * overwritten by the next episode). {@code observer} (may be null) sees every cycle.
     */
    public RobotEpisode.Result runEpisode(long seed, NetworkEvaluator network, double[] obsMean, double[] obsStd,
            double obsClip, int maxSteps, ObservationStats stats, RobotEpisode.Observer observer) {
        if (controller == null || controllerNetwork != network || controllerMean != obsMean
                || controllerStd != obsStd || controllerClip != obsClip) {
            controller = new Controller(stack, network, obsMean, obsStd, obsClip, scaling[0], scaling[1]);
            controllerNetwork = network;
            controllerMean = obsMean;
            controllerStd = obsStd;
            controllerClip = obsClip;
        }
        this.stats = stats;
        RobotEpisode.Observer o = observer == null ? collectStats : (loop, s, policyStep) -> {
            collectStats.afterCycle(loop, s, policyStep);
            observer.afterCycle(loop, s, policyStep);
        };
        return episode.run(seed, controller, maxSteps, o, result);
    }

    @Override
    public void close() {
        sim.close();
    }
}
