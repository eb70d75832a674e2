package dev.chromatic.sim.motor;

/**
 * The Minitaur's accurate DC motor model, evaluated at every physics substep (pure arithmetic, no
 * allocation, stateless; the overheat timer lives in {@link OverheatGuard}).
 * <pre>
 *   pwm    = clip(-kp (q - q*) - kd qdot, -1, 1)                  (q, qdot as seen PD-latency ago)
 *   Vnet   = clip(pwm V - (Kt + b) qdot_true, -50 V, 50 V)        (back-EMF; diodes clip at 50 V)
 *   I      = Vnet / R
 *   tau    = strength * sign(I) * interp(|I|; 0,10,..,60 A -> 0,1,1.9,2.45,3,3.25,3.5 N.m)
 *   tauObs = clip(Kt pwm V / R, -5.7, 5.7)                         (what the motor driver reports)
 * </pre>
 * V = 16 V (battery, randomisable), R = 0.186 ohm, Kt = 0.0954 N.m/A, viscous b = 0 (randomisable).
 * A motor whose torque constant is {@code ktScale} times the nominal one has {@code ktScale} times
 * the back-EMF, the torque per ampere (the table) and the reported torque.
 */
public final class MotorModel {

    public static final double RESISTANCE_OHM = 0.186;
    public static final double TORQUE_CONSTANT_NM_PER_A = 0.0954;
    public static final double NOMINAL_VOLTAGE_V = 16.0;
    public static final double VOLTAGE_CLIP_V = 50.0;
    public static final double OBSERVED_TORQUE_LIMIT_NM = 5.7;
    private static final double[] CURRENT_TABLE_A = {0, 10, 20, 30, 40, 50, 60};
    private static final double[] TORQUE_TABLE_NM = {0, 1, 1.9, 2.45, 3.0, 3.25, 3.5};

    private MotorModel() {
    }

    /** PD law in PWM duty units: {@code clip(-kp (q - q*) - kd qdot, -1, 1)}. */
    public static double pwm(double kp, double kd, double angleRad, double velocityRadPerS, double targetRad) {
        double p = -kp * (angleRad - targetRad) - kd * velocityRadPerS;
        if (Double.isNaN(p)) {
            return 0.0;
        }
        return p < -1 ? -1 : (p > 1 ? 1 : p);
    }

    /** Shaft torque for a PWM duty at the true shaft velocity (back-EMF, current saturation table). */
    public static double torqueNm(double pwm, double trueVelocityRadPerS, double voltageV,
            double viscousDamping, double strength) {
        return torqueNm(pwm, trueVelocityRadPerS, voltageV, 1.0, viscousDamping, strength);
    }

    /** {@link #torqueNm(double, double, double, double, double)} for a motor of {@code ktScale} times the nominal Kt. */
    public static double torqueNm(double pwm, double trueVelocityRadPerS, double voltageV, double ktScale,
            double viscousDamping, double strength) {
        double vNet = pwm * voltageV - (ktScale * TORQUE_CONSTANT_NM_PER_A + viscousDamping) * trueVelocityRadPerS;
        vNet = vNet < -VOLTAGE_CLIP_V ? -VOLTAGE_CLIP_V : (vNet > VOLTAGE_CLIP_V ? VOLTAGE_CLIP_V : vNet);
        double current = vNet / RESISTANCE_OHM;
        double magnitude = ktScale * interpolateTorque(Math.abs(current));
        return strength * (current < 0 ? -magnitude : magnitude);
    }

    /** Torque the driver reports: {@code clip(Kt * pwm * V / R, -5.7, 5.7)}. */
    public static double observedTorqueNm(double pwm, double voltageV) {
        return observedTorqueNm(pwm, voltageV, 1.0);
    }

    /** {@link #observedTorqueNm(double, double)} for a motor of {@code ktScale} times the nominal Kt. */
    public static double observedTorqueNm(double pwm, double voltageV, double ktScale) {
        double t = ktScale * TORQUE_CONSTANT_NM_PER_A * pwm * voltageV / RESISTANCE_OHM;
        return t < -OBSERVED_TORQUE_LIMIT_NM ? -OBSERVED_TORQUE_LIMIT_NM
                : (t > OBSERVED_TORQUE_LIMIT_NM ? OBSERVED_TORQUE_LIMIT_NM : t);
    }

    /** Piecewise-linear current-to-torque table, flat beyond 60 A (like numpy's interp). */
    static double interpolateTorque(double currentA) {
        if (currentA <= 0) {
            return 0.0;
        }
        int last = CURRENT_TABLE_A.length - 1;
        if (currentA >= CURRENT_TABLE_A[last]) {
            return TORQUE_TABLE_NM[last];
        }
        int i = (int) (currentA / 10.0);
        double f = (currentA - CURRENT_TABLE_A[i]) / (CURRENT_TABLE_A[i + 1] - CURRENT_TABLE_A[i]);
        return TORQUE_TABLE_NM[i] + f * (TORQUE_TABLE_NM[i + 1] - TORQUE_TABLE_NM[i]);
    }
}
