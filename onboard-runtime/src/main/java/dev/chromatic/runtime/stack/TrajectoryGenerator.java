package dev.chromatic.runtime.stack;

/**
 * The PMTG trajectory generator (after Iscen et al. 2018, the public {@code tg_simple}): one phase
 * {@code phi} in [0, 2 pi) advancing by {@code 2 pi f dt}; each leg runs at {@code phi + offset}
 * (a trot: front-left and back-right at 0, back-left and front-right at pi). The leg's linear
 * phase {@code psi} is warped so the swing half lasts {@code r / (1 + r)} of the cycle
 * ({@code r} = swing/stance ratio) and mapped to the leg's swing and extension offsets:
 * <pre>
 *   theta in [0, pi): swing half,  theta in [pi, 2 pi): stance half
 *   swing(theta)     = -A_s * I * cos(theta)                   (back to front in swing, pushes back in stance)
 *   extension(theta) = h + I * (theta < pi ? 0.5 : 0.05) * sin(theta)   (lift in swing, press in stance)
 * </pre>
 * Larger extension shortens the leg (the toe distance r(e) falls with e), so a positive lift
 * raises the toe. The intensity {@code I} may rise by at most 0.1 per step, as in tg_simple.
 * No allocation. Not thread-safe.
 */
public final class TrajectoryGenerator {

    /** Lift amplitude of the swing half (rad of extension). */
    public static final double LIFT_RAD = 0.5;
    /** Press amplitude of the stance half (rad of extension). */
    public static final double PRESS_RAD = 0.05;
    /** Largest intensity increase per step. */
    public static final double MAX_INTENSITY_RISE = 0.1;
    /** Trot: legs FL, BL, FR, BR (leg order of RobotSpec). */
    private static final double[] LEG_OFFSET_RAD = {0.0, Math.PI, Math.PI, 0.0};
    private static final double TWO_PI = 2 * Math.PI;

    private final double periodS;
    private double phaseRad;
    private double intensity;

    public TrajectoryGenerator(long controlPeriodNs) {
        if (controlPeriodNs <= 0) {
            throw new IllegalArgumentException("controlPeriodNs must be > 0, was " + controlPeriodNs);
        }
        this.periodS = controlPeriodNs * 1e-9;
    }

    /** Starts at phase {@code startPhaseRad} (wrapped into [0, 2 pi)) with intensity 0. */
    public void reset(double startPhaseRad) {
        double p = Double.isFinite(startPhaseRad) ? startPhaseRad % TWO_PI : 0.0;
        phaseRad = p < 0 ? p + TWO_PI : p;
        intensity = 0.0;
    }

    public double phaseRad() {
        return phaseRad;
    }

    public double intensity() {
        return intensity;
    }

    /**
     * Computes this step's swing and extension offsets of every leg into {@code swingOut} and
     * {@code extensionOut} (length 4), then advances the phase.
     *
     * @param frequencyHz   cycle frequency, clamped to [0, 3]
     * @param intensityCmd  commanded intensity, clamped to [0, 1.5], rising at most 0.1 per step
     * @param heightRad     extension offset of the whole gait, clamped to [-0.5, 0.5]
     * @param swingStanceRatio swing/stance duration ratio, clamped to [0.2, 5]
     * @param swingAmplitudeRad swing amplitude A_s, clamped to [0, 0.6]
     */
    public void step(double frequencyHz, double intensityCmd, double heightRad, double swingStanceRatio,
            double swingAmplitudeRad, double[] swingOut, double[] extensionOut) {
        double f = clamp(frequencyHz, 0.0, 3.0);
        double target = clamp(intensityCmd, 0.0, 1.5);
        intensity = Math.min(target, intensity + MAX_INTENSITY_RISE);
        double h = clamp(heightRad, -0.5, 0.5);
        double r = clamp(swingStanceRatio, 0.2, 5.0);
        double amp = clamp(swingAmplitudeRad, 0.0, 0.6);
        double swingEnd = TWO_PI * r / (1.0 + r);
        for (int leg = 0; leg < 4; leg++) {
            double psi = phaseRad + LEG_OFFSET_RAD[leg];
            if (psi >= TWO_PI) {
                psi -= TWO_PI;
            }
            double theta = psi < swingEnd
                    ? Math.PI * psi / swingEnd
                    : Math.PI + Math.PI * (psi - swingEnd) / (TWO_PI - swingEnd);
            double sin = Math.sin(theta);
            swingOut[leg] = -amp * intensity * Math.cos(theta);
            extensionOut[leg] = h + intensity * (theta < Math.PI ? LIFT_RAD : PRESS_RAD) * sin;
        }
        phaseRad += TWO_PI * f * periodS;
        if (phaseRad >= TWO_PI) {
            phaseRad -= TWO_PI * Math.floor(phaseRad / TWO_PI);
        }
    }

    static double clamp(double v, double lo, double hi) {
        if (!(v >= lo)) {
            return lo;
        }
        return v > hi ? hi : v;
    }
}
