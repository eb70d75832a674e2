package dev.chromatic.sim.classic;

import java.util.SplittableRandom;

/**
 * The swing-up pendulum with the equations of gym's {@code Pendulum-v0}: g = 10 m/s^2 (gym's
 * value, not 9.81), m = 1 kg, l = 1 m, dt = 0.05 s, torque clipped to +-2 N.m, speed clipped to
 * +-8 rad/s, 200 steps. theta = 0 is upright. Observation (cos th, sin th, thdot); action (u).
 * The initial state is uniform in th in [-pi, pi], thdot in [-1, 1].
 */
public final class PendulumEnv implements ClassicEnv {

    public static final String ID = "pendulum";
    public static final double GRAVITY_MPS2 = 10.0;
    public static final double MASS_KG = 1.0;
    public static final double LENGTH_M = 1.0;
    public static final double DT_S = 0.05;
    public static final double MAX_TORQUE_NM = 2.0;
    public static final double MAX_SPEED_RAD_PER_S = 8.0;
    public static final int MAX_STEPS = 200;

    private double thetaRad;
    private double thetaDotRadPerS;
    private int steps;

    @Override
    public int observationDim() {
        return 3;
    }

    @Override
    public long controlPeriodNs() {
        return Math.round(DT_S * 1e9);
    }

    @Override
    public double actionBound() {
        return MAX_TORQUE_NM;
    }

    @Override
    public int actionDim() {
        return 1;
    }

    @Override
    public void reset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        setState(-Math.PI + 2 * Math.PI * random.nextDouble(), -1.0 + 2.0 * random.nextDouble());
    }

    /** Starts an episode from an exact state (tests, demonstrations). */
    public void setState(double thetaRad, double thetaDotRadPerS) {
        this.thetaRad = thetaRad;
        this.thetaDotRadPerS = thetaDotRadPerS;
        this.steps = 0;
    }

    public double thetaRad() {
        return thetaRad;
    }

    public double thetaDotRadPerS() {
        return thetaDotRadPerS;
    }

    @Override
    public void observe(double[] out) {
        out[0] = Math.cos(thetaRad);
        out[1] = Math.sin(thetaRad);
        out[2] = thetaDotRadPerS;
    }

    @Override
    public double step(double[] action) {
        double u = clip(action[0], MAX_TORQUE_NM);
        double th = angleNormalize(thetaRad);
        // cost = th^2 + 0.1 thdot^2 + 0.001 u^2, on the state before the step (gym order)
        double cost = th * th + 0.1 * thetaDotRadPerS * thetaDotRadPerS + 0.001 * u * u;
        // thdot' = thdot + (-3g/(2l) sin(th + pi) + 3/(m l^2) u) dt ; th' = th + thdot' dt ; then clip thdot'
        double newThetaDot = thetaDotRadPerS
                + (-3.0 * GRAVITY_MPS2 / (2.0 * LENGTH_M) * Math.sin(thetaRad + Math.PI)
                + 3.0 / (MASS_KG * LENGTH_M * LENGTH_M) * u) * DT_S;
        thetaRad = thetaRad + newThetaDot * DT_S;
        thetaDotRadPerS = clip(newThetaDot, MAX_SPEED_RAD_PER_S);
        steps++;
        return -cost;
    }

    @Override
    public boolean done() {
        return steps >= MAX_STEPS;
    }

    @Override
    public int maxSteps() {
        return MAX_STEPS;
    }

    @Override
    public int stepCount() {
        return steps;
    }

    /** Wraps an angle into [-pi, pi): ((x + pi) mod 2pi) - pi. */
    static double angleNormalize(double x) {
        double twoPi = 2 * Math.PI;
        double m = (x + Math.PI) % twoPi;
        if (m < 0) {
            m += twoPi;
        }
        return m - Math.PI;
    }

    private static double clip(double v, double limit) {
        if (Double.isNaN(v)) {
            return 0.0;
        }
        return v < -limit ? -limit : (v > limit ? limit : v);
    }
}
