package dev.chromatic.runtime.loop;

/**
 * How an arming hands the motors to the policy: a rest gate (an arm request waits, motors off,
 * until the body's roll and pitch rates have stayed below the settle rate for the hold time, so a
 * robot still falling or rocking after power-up is not driven mid-motion; after the bounded wait
 * the arm is judged anyway), a linear stand-up ramp, then a settle gate that
 * holds the standing pose until the body is upright and its roll and pitch rates stay below a
 * threshold for a short hold, then the policy. When the bounded wait passes first, an upright body
 * is handed over anyway (still rocking) and a body that is not upright ends in the safe state
 * ({@code stand_up_failed}): a robot that did not get up must not start walking. Checked once at construction; the message
 * names the bad field.
 *
 * @param rampNs length of the stand-up ramp (0: straight to the settle gate)
 * @param settleRateRadPerS the body counts as still while |roll rate| and |pitch rate| stay below this
 * @param settleHoldNs how long it must stay still before the policy takes over
 * @param settleMaxNs the longest the gate waits (0: no gate)
 * @param settleTiltRad the body counts as upright while |roll| and |pitch| stay below this
 * @param restMaxNs the longest an arm request waits for the body to come to rest (0: no rest gate)
 */
public record StandUpSettings(long rampNs, double settleRateRadPerS, long settleHoldNs, long settleMaxNs,
                              double settleTiltRad, long restMaxNs) {

    public StandUpSettings {
        if (rampNs < 0 || rampNs > 10_000_000_000L) {
            throw new IllegalArgumentException("stand_up.ramp_s must be in 0..10 s, was " + rampNs * 1e-9 + " s");
        }
        if (!(settleRateRadPerS > 0) || Double.isInfinite(settleRateRadPerS)) {
            throw new IllegalArgumentException("stand_up.settle_rate_rad_per_s must be a positive finite number, was "
                    + settleRateRadPerS);
        }
        if (settleHoldNs < 0 || settleMaxNs < 0 || settleMaxNs > 10_000_000_000L) {
            throw new IllegalArgumentException("stand_up.settle_hold_s and stand_up.settle_max_s must be in 0..10 s");
        }
        if (!(settleTiltRad > 0) || settleTiltRad > 1.0) {
            throw new IllegalArgumentException("stand_up.settle_tilt_rad must be in (0, 1], was " + settleTiltRad);
        }
        if (restMaxNs < 0 || restMaxNs > 10_000_000_000L) {
            throw new IllegalArgumentException("stand_up.rest_max_s must be in 0..10 s, was " + restMaxNs * 1e-9 + " s");
        }
        if (settleMaxNs > 0 && settleHoldNs > settleMaxNs) {
            throw new IllegalArgumentException("stand_up.settle_hold_s (" + settleHoldNs * 1e-9
                    + " s) must not exceed stand_up.settle_max_s (" + settleMaxNs * 1e-9 + " s)");
        }
    }

    /**
     * The robot's defaults: arm once the body has stayed below 0.3 rad/s for 0.2 s (at most 1.5 s
     * after the request); 1 s ramp; hand over after 0.2 s upright (within 0.2 rad) and below
     * 0.3 rad/s, at most 1.5 s after the ramp.
     */
    public static StandUpSettings defaults() {
        return new StandUpSettings(1_000_000_000L, 0.3, 200_000_000L, 1_500_000_000L, 0.2, 1_500_000_000L);
    }

    /** No rest gate, no ramp and no settle gate: the policy drives from the first armed cycle (benchmarks, unit tests). */
    public static StandUpSettings immediate() {
        return new StandUpSettings(0L, 0.3, 0L, 0L, 0.2, 0L);
    }
}
