package dev.chromatic.sim.motor;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.Calibration;
import dev.chromatic.hal.device.JointCalibration;
import dev.chromatic.hal.device.Pca9685;

/**
 * The PCA9685 as the servos see it, with the device backend's own numbers: a written angle becomes
 * a pulse width by the default calibration ({@code pulseUs = zeroPulseUs + usPerRad * angleRad},
 * 2000 us per pi rad, 500-2500 us), then a whole number of counter ticks
 * ({@code round(pulseUs / tickUs)}, {@code tickUs = (prescale + 1) / osc}, 4.88 us at 50 Hz),
 * exactly as {@link Pca9685#ticksFor} writes it. The registers are latched into the outputs only at
 * the start of each PWM cycle ({@code (prescale + 1) * 4096 / osc}, 19.988 ms at 50 Hz): a servo
 * sees a new pulse at most once a cycle. A channel switched off sends no pulse (the servo goes limp).
 * Not thread-safe; allocates only in its constructor.
 */
public final class ServoPwm {

    private final JointCalibration[] joints;
    private final double tickUs;
    private final long periodNs;
    private final int[] registerTicks;
    private final int[] outputTicks;
    private long nextCycleNs;

    /**
     * @param spec        the robot (motor limits, for the default calibration)
     * @param oscillatorHz the chip's oscillator (25 MHz nominal)
     * @param rateHz      the PWM rate ({@code device.servoRateHz}, 50 Hz for analog servos)
     */
    public ServoPwm(RobotSpec spec, double oscillatorHz, double rateHz) {
        Calibration calibration = Calibration.defaults(spec);
        int n = spec.motorCount();
        joints = new JointCalibration[n];
        for (int m = 0; m < n; m++) {
            joints[m] = calibration.joint(m);
        }
        int prescale = Pca9685.prescaleFor(oscillatorHz, rateHz);
        tickUs = (prescale + 1) / oscillatorHz * 1e6;
        periodNs = Math.round((prescale + 1) * (double) Pca9685.COUNTER_STEPS / oscillatorHz * 1e9);
        registerTicks = new int[n];
        outputTicks = new int[n];
    }

    /** Every channel off; the first cycle starts at {@code firstCycleNs}. */
    public void reset(long firstCycleNs) {
        java.util.Arrays.fill(registerTicks, 0);
        java.util.Arrays.fill(outputTicks, 0);
        nextCycleNs = firstCycleNs;
    }

    /** Writes the registers of {@code motor} for {@code angleRad} (already inside the motor's limits). */
    public void write(int motor, double angleRad) {
        long ticks = Math.round(joints[motor].pulseUs(angleRad) / tickUs);
        registerTicks[motor] = (int) Math.max(1, Math.min(Pca9685.COUNTER_STEPS - 1, ticks));
    }

    /** Switches the output of {@code motor} fully off from the next cycle on. */
    public void off(int motor) {
        registerTicks[motor] = 0;
    }

    /** Starts every PWM cycle due by {@code nowNs}; returns true when one started (outputs latched). */
    public boolean advance(long nowNs) {
        boolean started = false;
        while (nowNs - nextCycleNs >= 0) {
            System.arraycopy(registerTicks, 0, outputTicks, 0, outputTicks.length);
            nextCycleNs += periodNs;
            started = true;
        }
        return started;
    }

    /** True when {@code motor}'s output sends pulses this cycle. */
    public boolean pulsing(int motor) {
        return outputTicks[motor] > 0;
    }

    /** Width of the pulse {@code motor} receives this cycle, us (0 when off). */
    public double pulseUs(int motor) {
        return outputTicks[motor] * tickUs;
    }

    /** The angle the pulse of {@code motor} commands this cycle (the servo's set point), rad. */
    public double setpointRad(int motor) {
        return joints[motor].angleRad(pulseUs(motor));
    }

    /** Pulse width per radian of {@code motor}, us/rad. */
    public double usPerRad(int motor) {
        return joints[motor].usPerRad;
    }

    /** Length of one counter tick, us. */
    public double tickUs() {
        return tickUs;
    }

    /** Length of one PWM cycle, ns. */
    public long periodNs() {
        return periodNs;
    }
}
