package dev.chromatic.sim.motor;

import java.util.Arrays;

/**
 * A positional hobby servo (20 kg.cm class, metal gears; figures and sources in docs/sim.md),
 * evaluated at every physics substep for each motor. The servo's amplifier closes a proportional
 * loop on its potentiometer with a deadband; its drive reaches the DC motor through a first-order
 * lag (amplifier, winding and the set point read once per pulse); the motor's torque falls
 * linearly with speed to zero at the no-load speed:
 * <pre>
 *   e      = q_set - q                          (q_set: the angle of the last pulse received)
 *   u*     = 0                     if |e| <= deadband
 *          = clip(G e, -1, 1)      otherwise      (G = {@value #GAIN_PER_RAD} / rad: full drive beyond 0.1 rad)
 *   u     += (u* - u) (1 - exp(-dt / T_lag))
 *   tau    = clip(tau_stall (u - qdot / w_noload), -tau_stall, tau_stall)
 * </pre>
 * At full drive the torque available in the direction of motion is {@code tau_stall (1 - |qdot| /
 * w_noload)} (the speed limit); braking is limited to the stall torque. Inside the deadband the
 * amplifier drives nothing and the motor's back-EMF brakes it ({@code u = 0}). Without pulses the
 * servo is limp: no torque. Not thread-safe; no allocation after construction.
 */
public final class ServoModel {

    /** Proportional gain of the servo's amplifier, drive per rad of error (our choice: full drive beyond 0.1 rad). */
    public static final double GAIN_PER_RAD = 10.0;

    private final double[] stallTorqueNm;
    private final double[] noLoadSpeedRadPerS;
    private final double[] lagS;
    private final double[] deadbandRad;
    private final double[] drive;

    public ServoModel(int motors) {
        stallTorqueNm = new double[motors];
        noLoadSpeedRadPerS = new double[motors];
        lagS = new double[motors];
        deadbandRad = new double[motors];
        drive = new double[motors];
    }

    /** This episode's figures of servo {@code motor}. */
    public void set(int motor, double stallTorqueNm, double noLoadSpeedRadPerS, double lagS, double deadbandRad) {
        this.stallTorqueNm[motor] = stallTorqueNm;
        this.noLoadSpeedRadPerS[motor] = noLoadSpeedRadPerS;
        this.lagS[motor] = lagS;
        this.deadbandRad[motor] = deadbandRad;
    }

    /** Drives at rest (power-up). */
    public void reset() {
        Arrays.fill(drive, 0.0);
    }

    /**
     * The output torque of servo {@code motor} for one substep of {@code dtS}.
     *
     * @param pulsing     the servo receives pulses (false: limp, zero torque)
     * @param setpointRad the angle of the last pulse
     */
    public double torqueNm(int motor, boolean pulsing, double setpointRad, double angleRad, double velocityRadPerS,
            double dtS) {
        if (!pulsing) {
            drive[motor] = 0.0;
            return 0.0;
        }
        double target = command(setpointRad - angleRad, deadbandRad[motor]);
        double lag = lagS[motor];
        drive[motor] += lag > 0 ? (target - drive[motor]) * (1.0 - Math.exp(-dtS / lag)) : target - drive[motor];
        double stall = stallTorqueNm[motor];
        double tau = stall * (drive[motor] - velocityRadPerS / noLoadSpeedRadPerS[motor]);
        return tau < -stall ? -stall : (tau > stall ? stall : tau);
    }

    /** The amplifier's drive for a position error: 0 inside the deadband, else {@code clip(G e, -1, 1)}. */
    public static double command(double errorRad, double deadbandRad) {
        if (!(Math.abs(errorRad) > deadbandRad)) {
            return 0.0;
        }
        double u = GAIN_PER_RAD * errorRad;
        return u < -1 ? -1 : (u > 1 ? 1 : u);
    }

    /** The drive now (after the lag) of servo {@code motor}, in [-1, 1]. */
    public double drive(int motor) {
        return drive[motor];
    }
}
