package dev.chromatic.sim.physics;

import dev.chromatic.sim.kinematics.FiveBarLeg;

/**
 * The motor side of each leg's extension: the common angle {@code e} of a leg's two hip motors,
 * with the inertia of the two upper links turning about the hip as the leg opens and closes, tied
 * to the toe's radial joint by the stiffness of the linkage. Allocation-free; not thread-safe.
 *
 * <p>Why it exists: in the five-bar, opening the leg turns both upper links (in opposite senses, so
 * no net angular momentum) and the motors see that inertia, {@code J_e = 2 m L1^2 / 3}, at every
 * pose. A serial leg whose radial joint carries only the lower links gives the motors
 * {@code m_r r'(e)^2} instead, which vanishes as the leg folds ({@code r'(e) -> 0} at {@code e = pi}),
 * while the force the motors push along the leg, {@code (tauA + tauB) / r'(e)}, grows without bound.
 * Per leg:
 * <pre>
 *   F      = k (r(e) - r) + c (r'(e) de/dt - dr/dt)          on the toe (radial joint), along the leg
 *   J_e e'' = tauA + tauB - r'(e) F + tau_stop(e, de/dt)      the motors' side
 * </pre>
 * {@code k}, {@code c}: the linkage's stiffness and damping (100 kN/m, 50 N.s/m: the toe gives
 * 0.15 mm under a standing robot's weight, far stiffer than the position loop's ~1.4 kN/m at the
 * toe). Quasi-statically {@code F = (tauA + tauB) / r'(e)}, the virtual-work map of a rigid
 * five-bar. The motor side is integrated implicitly (linearised backward Euler) in the coupling and
 * its mechanical stops, so it is stable however small {@code r'(e)} is; the toe side is Bullet's
 * link, which sees a bounded spring force. Coulomb friction of the two knees (optional) acts on the
 * extension as {@code 2 mu |d(knee)/de|}, {@code d(knee)/de = -(1 + L1 cos e / (L2 cos beta))},
 * {@code sin beta = L1 sin e / L2}; it can stop the motion within a step but never reverse it.
 */
public final class ExtensionDrive {

    public static final double LINKAGE_STIFFNESS_N_PER_M = 100_000.0;
    public static final double LINKAGE_DAMPING_N_PER_MPS = 50.0;
    /** Mechanical range of the extension; outside it a stiff stop acts on the motors' side. */
    public static final double STOP_MIN_EXTENSION_RAD = 0.15;
    public static final double STOP_MAX_EXTENSION_RAD = 2.9;
    public static final double STOP_STIFFNESS_NM_PER_RAD = 50.0;
    public static final double STOP_DAMPING_NM_PER_RADPS = 1.0;

    private final FiveBarLeg leg;
    private final double[] angleRad = new double[4];
    private final double[] rateRadPerS = new double[4];
    private double inertiaKgM2;
    private double kneeFrictionNm;

    public ExtensionDrive(FiveBarLeg leg) {
        this.leg = leg;
    }

    /** Inertia of the extension (both upper links about the hip), kg m^2; set when masses change. */
    public void inertia(double kgM2) {
        inertiaKgM2 = kgM2;
    }

    /** Coulomb friction of each knee, N.m (0 for none). */
    public void kneeFriction(double nm) {
        kneeFrictionNm = nm;
    }

    /** Puts a leg's motor side at an extension and extension rate. */
    public void set(int legIndex, double extensionRad, double extensionRateRadPerS) {
        angleRad[legIndex] = extensionRad;
        rateRadPerS[legIndex] = extensionRateRadPerS;
    }

    /** Extension {@code e = (mA + mB) / 2} as the motors have it, rad. */
    public double angleRad(int legIndex) {
        return angleRad[legIndex];
    }

    public double rateRadPerS(int legIndex) {
        return rateRadPerS[legIndex];
    }

    /** Force the linkage puts on the toe along the leg (positive pushes the toe away from the hip), N. */
    public double toeForceN(int legIndex, double radiusM, double radiusRateMps) {
        double e = angleRad[legIndex];
        return LINKAGE_STIFFNESS_N_PER_M * (leg.radiusM(e) - radiusM)
                + LINKAGE_DAMPING_N_PER_MPS * (leg.radiusDerivative(e) * rateRadPerS[legIndex] - radiusRateMps);
    }

    /**
     * Advances a leg's motor side by {@code dtS} under the motors' summed torque, against the toe
     * now at {@code radiusM} moving at {@code radiusRateMps}.
     */
    public void step(int legIndex, double motorTorqueSumNm, double radiusM, double radiusRateMps, double dtS) {
        step(legIndex, motorTorqueSumNm, 0.0, 0.0, radiusM, radiusRateMps, dtS);
    }

    /**
     * As {@link #step(int, double, double, double, double)}, with {@code motorTorqueSumNm} including
     * other stiff torques (the motors' travel stops) whose stiffness and damping in extension
     * coordinates are given, so that the step treats them implicitly too.
     */
    public void step(int legIndex, double motorTorqueSumNm, double extraStiffnessNmPerRad, double extraDampingNmPerRadPerS,
            double radiusM, double radiusRateMps, double dtS) {
        double e = angleRad[legIndex];
        double w = rateRadPerS[legIndex];
        double drDe = leg.radiusDerivative(e);
        double torque = motorTorqueSumNm - drDe * toeForceN(legIndex, radiusM, radiusRateMps);
        double stiffness = LINKAGE_STIFFNESS_N_PER_M * drDe * drDe + extraStiffnessNmPerRad;
        double damping = LINKAGE_DAMPING_N_PER_MPS * drDe * drDe + extraDampingNmPerRadPerS;
        if (e > STOP_MAX_EXTENSION_RAD) {
            torque -= STOP_STIFFNESS_NM_PER_RAD * (e - STOP_MAX_EXTENSION_RAD) + STOP_DAMPING_NM_PER_RADPS * w;
            stiffness += STOP_STIFFNESS_NM_PER_RAD;
            damping += STOP_DAMPING_NM_PER_RADPS;
        } else if (e < STOP_MIN_EXTENSION_RAD) {
            torque += STOP_STIFFNESS_NM_PER_RAD * (STOP_MIN_EXTENSION_RAD - e) - STOP_DAMPING_NM_PER_RADPS * w;
            stiffness += STOP_STIFFNESS_NM_PER_RAD;
            damping += STOP_DAMPING_NM_PER_RADPS;
        }
        // Backward Euler linearised about now: w' = (w (1 + dt C/J) + dt T/J) / (1 + dt C/J + dt^2 K/J).
        double a = dtS * damping / inertiaKgM2;
        double denominator = 1 + a + dtS * dtS * stiffness / inertiaKgM2;
        double next = (w * (1 + a) + dtS * torque / inertiaKgM2) / denominator;
        if (kneeFrictionNm > 0) {
            double l1 = leg.upperLegLengthM();
            double l2 = leg.lowerLegLengthM();
            double sinBeta = l1 * Math.sin(e) / l2;
            double kneeRate = 1 + l1 * Math.cos(e) / (l2 * Math.sqrt(1 - sinBeta * sinBeta));
            double stop = dtS * 2 * kneeFrictionNm * Math.abs(kneeRate) / (inertiaKgM2 * denominator);
            next = next > stop ? next - stop : (next < -stop ? next + stop : 0.0);
        }
        rateRadPerS[legIndex] = next;
        angleRad[legIndex] = e + dtS * next;
    }
}
