package dev.chromatic.runtime.stack;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/**
 * {@code minitaur-direct}: no trajectory generator. Observation (12): roll, pitch, roll rate,
 * pitch rate, the 8 motor angles. Action (8), already scaled: per leg a swing and an extension
 * offset around the standing pose (indices 2*leg, 2*leg+1), clamped to the leg's swing and
 * extension ranges and the motor limits. No allocation.
 */
public final class DirectStack implements ControllerStack {

    public static final String ID = "minitaur-direct";
    public static final int ACTION_DIM = 8;

    /** Swing offsets +-0.5 rad, extension offsets +-0.5 rad. */
    public static double[] defaultActionScale() {
        double[] s = new double[ACTION_DIM];
        java.util.Arrays.fill(s, 0.5);
        return s;
    }

    public static double[] defaultActionOffset() {
        return new double[ACTION_DIM];
    }

    private final RobotSpec spec;
    private final long controlPeriodNs;
    private final double[] motor;

    public DirectStack(RobotSpec spec, long controlPeriodNs) {
        this.spec = spec;
        this.controlPeriodNs = controlPeriodNs;
        this.motor = new double[spec.motorCount()];
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int observationDim() {
        return 4 + spec.motorCount();
    }

    @Override
    public int actionDim() {
        return ACTION_DIM;
    }

    @Override
    public long controlPeriodNs() {
        return controlPeriodNs;
    }

    @Override
    public void reset(double startPhaseRad) {
    }

    @Override
    public void observe(SensorFrame frame, double[] out) {
        out[0] = frame.rollRad;
        out[1] = frame.pitchRad;
        out[2] = frame.rollRateRadPerS;
        out[3] = frame.pitchRateRadPerS;
        System.arraycopy(frame.motorAngleRad, 0, out, 4, spec.motorCount());
    }

    @Override
    public void act(double[] action, SensorFrame frame, MotorCommand out) {
        double neutral = spec.neutralExtensionRad();
        for (int leg = 0; leg < 4; leg++) {
            double swing = TrajectoryGenerator.clamp(action[2 * leg], spec.minSwingRad(), spec.maxSwingRad());
            double ext = TrajectoryGenerator.clamp(neutral + action[2 * leg + 1], spec.minExtensionRad(),
                    spec.maxExtensionRad());
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
