package dev.chromatic.trainer.rollout;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
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
 * stack. The env id is the stack id. The simulator runs with its default settings (10 ms control
 * period, accurate motor model, no domain randomisation); one physics space per instance, reused
 * across episodes.
 */
public final class MinitaurTrainingEnv implements TrainingEnv {

    public static final List<String> IDS = List.of(PmtgStack.ID, DirectStack.ID);

    private final String id;
    private final MinitaurSim sim;
    private final ControllerStack stack;
    private final MinitaurWalkTask task;
    private final double[][] scaling;
    private final SensorFrame frame;
    private final MotorCommand command;
    private final double[] position = new double[3];
    private Controller controller;
    private NetworkEvaluator controllerNetwork;
    private double[] controllerMean;
    private double[] controllerStd;
    private double controllerClip;

    private MinitaurTrainingEnv(String id, SimConfig config) {
        this.id = id;
        this.sim = MinitaurSim.create(config);
        this.sim.start();
        RobotSpec spec = sim.spec();
        this.stack = ControllerStacks.create(id, spec, config.controlPeriodNs);
        this.task = new MinitaurWalkTask();
        this.scaling = ControllerStacks.defaultActionScaling(id);
        this.frame = new SensorFrame(spec.motorCount());
        this.command = new MotorCommand(spec.motorCount());
    }

    /** The environment {@code minitaur-pmtg} or {@code minitaur-direct} with default sim settings. */
    public static MinitaurTrainingEnv create(String id) {
        if (!IDS.contains(id)) {
            throw new IllegalArgumentException("unknown Minitaur env '" + id + "', expected one of " + IDS);
        }
        return new MinitaurTrainingEnv(id, SimConfig.defaults());
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
        if (controller == null || controllerNetwork != network || controllerMean != obsMean
                || controllerStd != obsStd || controllerClip != obsClip) {
            controller = new Controller(stack, network, obsMean, obsStd, obsClip, scaling[0], scaling[1]);
            controllerNetwork = network;
            controllerMean = obsMean;
            controllerStd = obsStd;
            controllerClip = obsClip;
        }
        out.clear();
        sim.reset(seed);
        task.reset(sim);
        controller.reset();
        sim.basePosition(position);
        double startX = position[0];
        while (!task.done() && out.steps < maxSteps) {
            sim.read(frame);
            controller.step(frame, command);
            if (stats != null) {
                stats.add(controller.observation());
            }
            sim.write(command);
            out.totalReward += task.reward(sim);
            out.steps++;
        }
        sim.basePosition(position);
        out.distanceM = position[0] - startX;
        out.fell = task.fell();
        return out;
    }

    @Override
    public void close() {
        sim.close();
    }
}
