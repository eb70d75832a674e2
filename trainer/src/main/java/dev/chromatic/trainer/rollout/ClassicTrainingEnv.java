package dev.chromatic.trainer.rollout;

import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.stack.Normaliser;
import dev.chromatic.sim.classic.ClassicEnv;
import dev.chromatic.sim.classic.ClassicEnvs;
import dev.chromatic.trainer.es.ObservationStats;

/**
 * A lockstep task with the plain stack: normalise -> network -> action scaling. The network's tanh
 * output is scaled to the task's action range ({@code pendulum}: +-2 N.m; {@code cartpole-swingup}
 * and {@code halfcheetah}: +-1).
 */
public final class ClassicTrainingEnv implements TrainingEnv {

    private final String id;
    private final ClassicEnv env;
    private final double[] scale;
    private final double[] offset;
    private final double[] raw;
    private final double[] input;
    private final double[] output;
    private final double[] action;

    public ClassicTrainingEnv(String id) {
        this(id, ClassicEnvs.create(id));
    }

    /** Runs {@code env} (which it then owns and closes) under the id {@code id}. */
    public ClassicTrainingEnv(String id, ClassicEnv env) {
        this.id = id;
        this.env = env;
        this.scale = new double[env.actionDim()];
        java.util.Arrays.fill(scale, env.actionBound());
        this.offset = new double[env.actionDim()];
        this.raw = new double[env.observationDim()];
        this.input = new double[env.observationDim()];
        this.output = new double[env.actionDim()];
        this.action = new double[env.actionDim()];
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int observationDim() {
        return env.observationDim();
    }

    @Override
    public int actionDim() {
        return env.actionDim();
    }

    @Override
    public int maxSteps() {
        return env.maxSteps();
    }

    @Override
    public double[] actionScale() {
        return scale.clone();
    }

    @Override
    public double[] actionOffset() {
        return offset.clone();
    }

    @Override
    public long controlPeriodNs() {
        return env.controlPeriodNs();
    }

    @Override
    public void setActionScaling(double[] newScale, double[] newOffset) {
        System.arraycopy(newScale, 0, scale, 0, scale.length);
        System.arraycopy(newOffset, 0, offset, 0, offset.length);
    }

    @Override
    public String robot() {
        return "none";
    }

    @Override
    public String stack() {
        return "plain";
    }

    @Override
    public String task() {
        return id;
    }

    @Override
    public Episode run(long seed, NetworkEvaluator network, double[] obsMean, double[] obsStd, double obsClip,
            int maxSteps, ObservationStats stats, Episode out) {
        out.clear();
        env.reset(seed);
        int limit = Math.min(maxSteps, env.maxSteps());
        while (!env.done() && out.steps < limit) {
            env.observe(raw);
            if (stats != null) {
                stats.add(raw);
            }
            Normaliser.normalise(raw, obsMean, obsStd, obsClip, input);
            network.evaluate(input, output);
            Normaliser.scaleAction(output, scale, offset, action);
            out.totalReward += env.step(action);
            out.steps++;
        }
        out.fell = env.done() && env.stepCount() < env.maxSteps();
        out.distanceM = env.distanceM();
        return out;
    }

    @Override
    public void close() {
        env.close();
    }
}
