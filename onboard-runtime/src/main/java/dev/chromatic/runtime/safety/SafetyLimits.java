package dev.chromatic.runtime.safety;

import dev.chromatic.hal.SensorFrame;

/**
 * The thresholds of the {@link SafetySupervisor}, checked once at construction (the message names
 * the bad field).
 *
 * @param maxRollRad |roll| beyond this latches the safe state
 * @param maxPitchRad |pitch| beyond this latches the safe state
 * @param badSensorCycles K: this many consecutive invalid or stale frames latch the safe state
 * @param overrunCycles K: this many consecutive overrunning cycles latch the safe state
 * @param requiredValidMask {@link SensorFrame} validity flags a frame needs to count as valid
 * @param maxTargetRateRadPerS the fastest a motor target may move (further limited by the spec)
 */
public record SafetyLimits(double maxRollRad, double maxPitchRad, int badSensorCycles, int overrunCycles,
                           int requiredValidMask, double maxTargetRateRadPerS) {

    public SafetyLimits {
        positive("max_roll_rad", maxRollRad);
        positive("max_pitch_rad", maxPitchRad);
        positive("max_target_rate_rad_per_s", maxTargetRateRadPerS);
        if (badSensorCycles < 1 || badSensorCycles > 1000) {
            throw new IllegalArgumentException("bad_sensor_cycles must be in 1..1000, was " + badSensorCycles);
        }
        if (overrunCycles < 1 || overrunCycles > 1000) {
            throw new IllegalArgumentException("overrun_cycles must be in 1..1000, was " + overrunCycles);
        }
        if ((requiredValidMask & ~SensorFrame.VALID_ALL) != 0) {
            throw new IllegalArgumentException("required_valid_mask has unknown bits: " + requiredValidMask);
        }
    }

    /** Defaults: 0.5 rad roll and pitch, K = 3 bad frames, K = 5 overruns, attitude + rates + angles. */
    public static SafetyLimits defaults() {
        return new SafetyLimits(0.5, 0.5, 3, 5,
                SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_MOTOR_ANGLES, 20.0);
    }

    /** The same limits requiring {@code mask} (the composition narrows the default to what the hardware measures). */
    public SafetyLimits withRequiredValidMask(int mask) {
        return new SafetyLimits(maxRollRad, maxPitchRad, badSensorCycles, overrunCycles, mask, maxTargetRateRadPerS);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, was " + v);
        }
    }
}
