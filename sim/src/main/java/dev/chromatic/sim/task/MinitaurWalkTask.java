package dev.chromatic.sim.task;

import dev.chromatic.sim.MinitaurSim;

/**
 * {@code minitaur-walk}: walk forward (+x) as far as possible for little energy, as in the
 * reference Minitaur environment: reward per control step {@code dx - 0.005 * E}, with {@code dx}
 * the base's forward displacement over the step (m) and {@code E} the motor energy of the step
 * (J, |sum tau qdot| integrated over the 1 ms substeps). The episode ends after 1000 steps or on a
 * fall: |roll| or |pitch| > 0.3 rad, or base height below 0.10 m.
 */
public final class MinitaurWalkTask implements Task {

    public static final String ID = "minitaur-walk";
    public static final int MAX_STEPS = 1000;
    public static final double ENERGY_WEIGHT = 0.005;
    public static final double MAX_TILT_RAD = 0.3;
    public static final double MIN_BASE_HEIGHT_M = 0.10;

    private final int maxSteps;
    private final double[] position = new double[3];
    private final double[] rpy = new double[3];
    private double previousX;
    private int steps;
    private boolean fell;

    public MinitaurWalkTask() {
        this(MAX_STEPS);
    }

    /** A shorter or longer episode (tests, quick evaluations). */
    public MinitaurWalkTask(int maxSteps) {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be > 0, was " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int maxSteps() {
        return maxSteps;
    }

    @Override
    public void reset(MinitaurSim sim) {
        sim.basePosition(position);
        previousX = position[0];
        steps = 0;
        fell = false;
    }

    @Override
    public double reward(MinitaurSim sim) {
        sim.basePosition(position);
        sim.baseRollPitchYaw(rpy);
        double dx = position[0] - previousX;
        previousX = position[0];
        steps++;
        if (Math.abs(rpy[0]) > MAX_TILT_RAD || Math.abs(rpy[1]) > MAX_TILT_RAD || position[2] < MIN_BASE_HEIGHT_M
                || !Double.isFinite(position[2])) {
            fell = true;
        }
        double r = dx - ENERGY_WEIGHT * sim.lastPeriodEnergyJ();
        return Double.isFinite(r) ? r : 0.0;
    }

    @Override
    public boolean done() {
        return fell || steps >= maxSteps;
    }

    @Override
    public boolean fell() {
        return fell;
    }

    @Override
    public int stepCount() {
        return steps;
    }
}
