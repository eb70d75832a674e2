package dev.chromatic.runtime.stack;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.stack.ControllerStep;

/**
 * The one pipeline between sensors and motors, identical in a training rollout and on the robot:
 * {@code stack.observe} -> normalise and clip -> network (any {@link NetworkEvaluator}) ->
 * {@code action = offset + scale * y} -> {@code stack.act}. The normalisation and scaling arrays
 * are held by reference, so a trainer may update them between episodes. Never allocates or
 * throws in {@link #step}. Not thread-safe; called on the loop thread.
 */
public final class Controller implements ControllerStep {

    private final ControllerStack stack;
    private final NetworkEvaluator network;
    private final double[] obsMean;
    private final double[] obsStd;
    private final double obsClip;
    private final double[] actionScale;
    private final double[] actionOffset;
    private final double[] observation;
    private final double[] normalised;
    private final double[] output;
    private final double[] action;

    public Controller(ControllerStack stack, NetworkEvaluator network, double[] obsMean, double[] obsStd,
            double obsClip, double[] actionScale, double[] actionOffset) {
        if (network.inputDim() != stack.observationDim() || network.outputDim() != stack.actionDim()) {
            throw new IllegalArgumentException("network " + network.inputDim() + "->" + network.outputDim()
                    + " does not fit stack " + stack.id() + " " + stack.observationDim() + "->" + stack.actionDim());
        }
        if (obsMean.length != stack.observationDim() || obsStd.length != stack.observationDim()
                || actionScale.length != stack.actionDim() || actionOffset.length != stack.actionDim()) {
            throw new IllegalArgumentException("normalisation or action scaling has the wrong length for stack " + stack.id());
        }
        this.stack = stack;
        this.network = network;
        this.obsMean = obsMean;
        this.obsStd = obsStd;
        this.obsClip = obsClip;
        this.actionScale = actionScale;
        this.actionOffset = actionOffset;
        this.observation = new double[stack.observationDim()];
        this.normalised = new double[stack.observationDim()];
        this.output = new double[stack.actionDim()];
        this.action = new double[stack.actionDim()];
    }

    /**
     * The controller a policy file describes: its stack (built for {@code spec} and the policy's
     * control period), normalisation and action scaling, evaluated by {@code network}.
     *
     * @throws IllegalArgumentException when the policy names an unknown stack or does not fit it
     */
    public static Controller of(Policy policy, NetworkEvaluator network, RobotSpec spec) {
        ControllerStack stack = ControllerStacks.create(policy.stack(), spec, policy.controlPeriodNs());
        return new Controller(stack, network, policy.obsMean(), policy.obsStd(), policy.obsClip(),
                policy.actionScale(), policy.actionOffset());
    }

    /** Steps {@link #warmUp} runs: past the JIT's compile thresholds for every method of a step. */
    public static final int WARM_UP_STEPS = 20_000;

    /**
     * Runs a throwaway controller of the same policy {@code steps} times on a standing robot with
     * slowly varying readings, so that the JIT has compiled the whole step (stack, normaliser,
     * network) before the loop thread first calls it: the first cycles after arming then cost what
     * every later cycle costs. The JIT compiles methods, not objects, so the controller that will
     * run is warm too; it is left untouched. Off the loop thread; allocates.
     */
    public static void warmUp(Policy policy, RobotSpec spec, int steps) {
        warmUp(of(policy, MailmanNetwork.of(policy), spec), spec, steps);
    }

    /** As {@link #warmUp(Policy, RobotSpec, int)}, stepping {@code c}, a throwaway copy of the step that will run. */
    public static void warmUp(ControllerStep c, RobotSpec spec, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, was " + steps);
        }
        SensorFrame frame = new SensorFrame(spec.motorCount());
        MotorCommand out = new MotorCommand(spec.motorCount());
        double[] standing = new double[spec.motorCount()];
        spec.standingPose(standing);
        frame.validMask = SensorFrame.VALID_ALL;
        c.reset(0.0);
        for (int i = 0; i < steps; i++) {
            double wobble = 0.05 * Math.sin(i * 0.01);
            for (int m = 0; m < standing.length; m++) {
                frame.motorAngleRad[m] = standing[m] + wobble;
                frame.motorVelocityRadPerS[m] = wobble;
            }
            frame.rollRad = wobble;
            frame.pitchRad = -wobble;
            frame.rollRateRadPerS = wobble;
            frame.pitchRateRadPerS = -wobble;
            frame.accelZMps2 = 9.81;
            c.step(frame, out);
        }
    }

    public ControllerStack stack() {
        return stack;
    }

    @Override
    public void reset(double startPhaseRad) {
        stack.reset(startPhaseRad);
    }

    @Override
    public void step(SensorFrame frame, MotorCommand out) {
        stack.observe(frame, observation);
        Normaliser.normalise(observation, obsMean, obsStd, obsClip, normalised);
        network.evaluate(normalised, output);
        Normaliser.scaleAction(output, actionScale, actionOffset, action);
        stack.act(action, frame, out);
    }

    /** The last raw observation (read-only). */
    @Override
    public double[] observation() {
        return observation;
    }

    /** The last normalised, clipped network input (read-only). */
    public double[] normalisedObservation() {
        return normalised;
    }

    /** The last scaled action handed to the stack (read-only). */
    @Override
    public double[] action() {
        return action;
    }
}
