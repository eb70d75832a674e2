package dev.chromatic.runtime.stack;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/**
 * {@code minitaur-pmtg}: policies modulating a trajectory generator (Iscen et al. 2018).
 * Observation (7): roll, pitch, roll rate, pitch rate, TG phase as {@code ((cos phi + 1)/2,
 * (sin phi + 1)/2)}, commanded speed. Action (13), already scaled: per leg a swing residual and
 * an extension residual (indices 2*leg, 2*leg+1, rad, clamped to +-0.15), then the five TG
 * parameters: frequency (Hz), intensity, height (rad of extension), log of the swing/stance ratio,
 * swing amplitude (rad); see {@link TrajectoryGenerator}. Leg targets are
 * {@code swing = tg + residual}, {@code extension = neutral + tg + residual}, mapped to motor angles
 * by {@link RobotSpec#legToMotorAngles} and clamped to the motor limits. No allocation.
 */
public final class PmtgStack implements ControllerStack {

    public static final String ID = "minitaur-pmtg";
    public static final int OBSERVATION_DIM = 7;
    public static final int ACTION_DIM = 13;
    /** Residual limit (rad), as in tg_simple. */
    public static final double RESIDUAL_RAD = 0.15;
    /** Default commanded forward speed (m/s), an observation the policy may use. */
    public static final double DEFAULT_SPEED_MPS = 0.5;

    private static final double LN_5 = Math.log(5.0);

    /**
     * Action scaling {@code a = offset + scale * tanh_output}: residuals +-0.15 rad, frequency
     * [1, 3] Hz, intensity [0.5, 1.5], height +-0.3 rad, log ratio +-ln 3, swing amplitude
     * [0.1, 0.6] rad. A network output of 0 is a 2 Hz trot of intensity 1 (the TG's own gait).
     */
    public static double[] defaultActionScale() {
        double[] s = new double[ACTION_DIM];
        java.util.Arrays.fill(s, 0, 8, RESIDUAL_RAD);
        s[8] = 1.0;
        s[9] = 0.5;
        s[10] = 0.3;
        s[11] = Math.log(3.0);
        s[12] = 0.25;
        return s;
    }

    public static double[] defaultActionOffset() {
        double[] o = new double[ACTION_DIM];
        o[8] = 2.0;
        o[9] = 1.0;
        o[10] = 0.0;
        o[11] = 0.0;
        o[12] = 0.35;
        return o;
    }

    private final RobotSpec spec;
    private final long controlPeriodNs;
    private final double commandedSpeedMps;
    private final TrajectoryGenerator tg;
    private final double[] tgSwing = new double[4];
    private final double[] tgExtension = new double[4];
    private final double[] motor;

    public PmtgStack(RobotSpec spec, long controlPeriodNs, double commandedSpeedMps) {
        this.spec = spec;
        this.controlPeriodNs = controlPeriodNs;
        this.commandedSpeedMps = commandedSpeedMps;
        this.tg = new TrajectoryGenerator(controlPeriodNs);
        this.motor = new double[spec.motorCount()];
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int observationDim() {
        return OBSERVATION_DIM;
    }

    @Override
    public int actionDim() {
        return ACTION_DIM;
    }

    @Override
    public long controlPeriodNs() {
        return controlPeriodNs;
    }

    public TrajectoryGenerator trajectoryGenerator() {
        return tg;
    }

    @Override
    public void reset(double startPhaseRad) {
        tg.reset(startPhaseRad);
    }

    @Override
    public void observe(SensorFrame frame, double[] out) {
        out[0] = frame.rollRad;
        out[1] = frame.pitchRad;
        out[2] = frame.rollRateRadPerS;
        out[3] = frame.pitchRateRadPerS;
        double phi = tg.phaseRad();
        out[4] = 0.5 * (Math.cos(phi) + 1.0);
        out[5] = 0.5 * (Math.sin(phi) + 1.0);
        out[6] = commandedSpeedMps;
    }

    @Override
    public void act(double[] action, SensorFrame frame, MotorCommand out) {
        tg.step(action[8], action[9], action[10], Math.exp(TrajectoryGenerator.clamp(action[11], -LN_5, LN_5)),
                action[12], tgSwing, tgExtension);
        double neutral = spec.neutralExtensionRad();
        for (int leg = 0; leg < 4; leg++) {
            double swing = tgSwing[leg] + TrajectoryGenerator.clamp(action[2 * leg], -RESIDUAL_RAD, RESIDUAL_RAD);
            double ext = neutral + tgExtension[leg]
                    + TrajectoryGenerator.clamp(action[2 * leg + 1], -RESIDUAL_RAD, RESIDUAL_RAD);
            swing = TrajectoryGenerator.clamp(swing, spec.minSwingRad(), spec.maxSwingRad());
            ext = TrajectoryGenerator.clamp(ext, spec.minExtensionRad(), spec.maxExtensionRad());
            spec.legToMotorAngles(leg, swing, ext, motor);
        }
        out.mode = MotorCommand.Mode.POSITION;
        out.customGains = false;
        for (int m = 0; m < motor.length; m++) {
            out.positionRad[m] = spec.clampPosition(m, motor[m]);
            out.feedforwardTorqueNm[m] = 0.0;
        }
    }
}
