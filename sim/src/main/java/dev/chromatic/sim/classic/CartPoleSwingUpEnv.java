package dev.chromatic.sim.classic;

import java.util.SplittableRandom;

/**
 * Cart-pole swing-up with the equations of the widely used {@code CartPoleSwingUp} task (estool):
 * cart 0.5 kg, pole 0.5 kg with half-length l = 0.6 m, g = 9.82 m/s^2, cart friction b = 0.1,
 * force = 10 N * clip(a, -1, 1), explicit Euler with dt = 0.01 s, 1000 steps, track |x| <= 2.4 m
 * (leaving it ends the episode). theta = 0 is the pole upright; episodes start hanging down,
 * state ~ N((0, 0, pi, 0), 0.2^2). With s = sin th, c = cos th, M = m_c + m_p:
 * <pre>
 *   xdd  = (-2 m_p l thd^2 s + 3 m_p g s c + 4 F - 4 b xd) / (4 M - 3 m_p c^2)
 *   thdd = (-3 m_p l thd^2 s c + 6 M g s + 6 (F - b xd) c) / (4 l M - 3 m_p l c^2)
 *   x += xd dt; th += thd dt; xd += xdd dt; thd += thdd dt
 *   reward = (cos th + 1)/2 * cos(x / 2.4 * pi/2)      (after the update)
 * </pre>
 * Observation (x, xd, cos th, sin th, thd); action (a).
 */
public final class CartPoleSwingUpEnv implements ClassicEnv {

    public static final String ID = "cartpole-swingup";
    public static final double GRAVITY_MPS2 = 9.82;
    public static final double CART_MASS_KG = 0.5;
    public static final double POLE_MASS_KG = 0.5;
    public static final double POLE_HALF_LENGTH_M = 0.6;
    public static final double FRICTION = 0.1;
    public static final double FORCE_N = 10.0;
    public static final double DT_S = 0.01;
    public static final double X_LIMIT_M = 2.4;
    public static final int MAX_STEPS = 1000;

    private final double[] state = new double[4];
    private int steps;
    private boolean outOfTrack;

    @Override
    public int observationDim() {
        return 5;
    }

    @Override
    public long controlPeriodNs() {
        return Math.round(DT_S * 1e9);
    }

    @Override
    public double actionBound() {
        return 1.0;
    }

    @Override
    public int actionDim() {
        return 1;
    }

    @Override
    public void reset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        setState(0.2 * gaussian(random), 0.2 * gaussian(random),
                Math.PI + 0.2 * gaussian(random), 0.2 * gaussian(random));
    }

    /** Starts an episode from an exact state: cart position, cart speed, pole angle, pole rate. */
    public void setState(double xM, double xDotMps, double thetaRad, double thetaDotRadPerS) {
        state[0] = xM;
        state[1] = xDotMps;
        state[2] = thetaRad;
        state[3] = thetaDotRadPerS;
        steps = 0;
        outOfTrack = false;
    }

    /** Copies (x, xd, th, thd) into {@code out}. */
    public void state(double[] out) {
        System.arraycopy(state, 0, out, 0, 4);
    }

    @Override
    public void observe(double[] out) {
        out[0] = state[0];
        out[1] = state[1];
        out[2] = Math.cos(state[2]);
        out[3] = Math.sin(state[2]);
        out[4] = state[3];
    }

    @Override
    public double step(double[] action) {
        double a = action[0];
        if (Double.isNaN(a)) {
            a = 0.0;
        }
        double force = FORCE_N * (a < -1 ? -1 : (a > 1 ? 1 : a));
        double x = state[0];
        double xd = state[1];
        double th = state[2];
        double thd = state[3];
        double s = Math.sin(th);
        double c = Math.cos(th);
        double m = CART_MASS_KG + POLE_MASS_KG;
        double mpl = POLE_MASS_KG * POLE_HALF_LENGTH_M;
        double xdd = (-2 * mpl * thd * thd * s + 3 * POLE_MASS_KG * GRAVITY_MPS2 * s * c
                + 4 * force - 4 * FRICTION * xd) / (4 * m - 3 * POLE_MASS_KG * c * c);
        double thdd = (-3 * mpl * thd * thd * s * c + 6 * m * GRAVITY_MPS2 * s
                + 6 * (force - FRICTION * xd) * c) / (4 * POLE_HALF_LENGTH_M * m - 3 * mpl * c * c);
        x += xd * DT_S;
        th += thd * DT_S;
        xd += xdd * DT_S;
        thd += thdd * DT_S;
        state[0] = x;
        state[1] = xd;
        state[2] = th;
        state[3] = thd;
        steps++;
        if (x < -X_LIMIT_M || x > X_LIMIT_M) {
            outOfTrack = true;
        }
        return (Math.cos(th) + 1.0) / 2.0 * Math.cos(x / X_LIMIT_M * (Math.PI / 2.0));
    }

    @Override
    public boolean done() {
        return outOfTrack || steps >= MAX_STEPS;
    }

    @Override
    public int maxSteps() {
        return MAX_STEPS;
    }

    @Override
    public int stepCount() {
        return steps;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller on a seeded stream, so episodes are reproducible across JDKs.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
