package dev.chromatic.runtime.loop;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.EventSink;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.stack.ControllerStep;

/**
 * What drives the motors while the robot is armed, one step ahead of the safety supervisor. Before
 * that, the rest gate: an arm request waits, motors off, until the body has been at rest (|roll rate|
 * and |pitch rate| below the settle rate for the hold time, tracked every cycle by
 * {@link #observe}), at most the rest wait; a limp robot still tipping after power-up is then not
 * driven mid-fall, and the stand-up starts from where the legs came to rest. Armed:
 * <ol>
 *   <li>{@link Phase#STAND_UP}: from the start pose (the measured motor angles where the hardware
 *       has encoders, else the configured pose) to the spec's standing pose in three legs of equal
 *       length, in leg coordinates (swing s, extension e): tuck (each leg folds to at least the
 *       spec's largest extension at its own swing), swing under (s to 0, folded), extend (e to the
 *       neutral extension). A limp robot's legs lie splayed; sweeping them under the body while
 *       they are still long would push it over, folded they clear the ground. Within each leg the
 *       targets move linearly, {@code x(k) = x_a + (k / T_leg)(x_b - x_a)};</li>
 *   <li>{@link Phase#SETTLE}: hold the standing pose until the body is upright (|roll|, |pitch|
 *       below the tilt threshold) and |roll rate| and |pitch rate| stay below the rate threshold for
 *       the hold time. When the bounded wait passes first, an upright body is handed over anyway;
 *       a body that is not upright has failed to stand up ({@link #failed()}), and the loop
 *       latches the safe state;</li>
 *   <li>{@link Phase#POLICY}: reset the controller (its trajectory generator at the start phase)
 *       and let it drive, every cycle.</li>
 * </ol>
 * The supervisor judges and clamps whatever this writes, in every phase. Not thread-safe: loop
 * thread only; {@link #phase()} may be read from any thread. Never allocates.
 */
public final class StandUpBehaviour {

    private final RobotSpec spec;
    private final StandUpSettings settings;
    private final EventSink events;
    private final boolean startFromMeasured;
    private final int motors;
    private final double[] configuredStartRad;
    private final double[] startRad;
    private final double[] standingRad;
    private final double[] swing0 = new double[4];
    private final double[] ext0 = new double[4];
    private final double[] extTuck = new double[4];
    private long periodNs;
    private int rampCycles;
    private int rampDone;
    private int holdCycles;
    private int maxSettleCycles;
    private int maxRestCycles;
    private int restCycles;
    private volatile long lastRestWaitNs = -1;
    private int stillCycles;
    private int settleCycles;
    private double startPhaseRad;
    private ControllerStep driving;
    private volatile int phaseOrdinal = Phase.NONE.ordinal();
    private Phase phase = Phase.NONE;
    private volatile long lastSettleWaitNs = -1;
    private volatile boolean lastSettleTimedOut;
    private volatile long handOvers;
    private boolean failed;

    /**
     * @param startFromMeasured the hardware measures motor angles: the ramp starts where the legs are
     * @param configuredStartRad where the ramp starts otherwise (e.g. the resting pose), copied
     */
    public StandUpBehaviour(RobotSpec spec, StandUpSettings settings, long periodNs, boolean startFromMeasured,
            double[] configuredStartRad, EventSink events) {
        if (configuredStartRad.length != spec.motorCount()) {
            throw new IllegalArgumentException("stand-up start pose has " + configuredStartRad.length
                    + " angles, the robot " + spec.motorCount() + " motors");
        }
        this.spec = spec;
        this.settings = settings;
        this.events = events;
        this.startFromMeasured = startFromMeasured;
        this.motors = spec.motorCount();
        this.configuredStartRad = configuredStartRad.clone();
        this.startRad = new double[motors];
        this.standingRad = new double[motors];
        spec.standingPose(standingRad);
        setPeriodNs(periodNs);
    }

    /** Recomputes the phase lengths for a new period (only while disarmed). */
    void setPeriodNs(long periodNs) {
        this.periodNs = periodNs;
        this.rampCycles = cycles(settings.rampNs(), periodNs);
        this.holdCycles = Math.max(1, cycles(settings.settleHoldNs(), periodNs));
        this.maxSettleCycles = cycles(settings.settleMaxNs(), periodNs);
        this.maxRestCycles = cycles(settings.restMaxNs(), periodNs);
    }

    /**
     * Every cycle, after the read: counts how long the body has been at rest (valid rates, |roll
     * rate| and |pitch rate| below the settle rate). Loop thread.
     */
    void observe(SensorFrame frame) {
        boolean still = frame.isValid(SensorFrame.VALID_RATES)
                && Math.abs(frame.rollRateRadPerS) < settings.settleRateRadPerS()
                && Math.abs(frame.pitchRateRadPerS) < settings.settleRateRadPerS();
        restCycles = still ? Math.min(restCycles + 1, 1_000_000) : 0;
    }

    /** The body has been at rest for the hold time (always true without a rest gate). Loop thread. */
    boolean atRest() {
        return maxRestCycles == 0 || restCycles >= holdCycles;
    }

    /** The longest an arm request waits for {@link #atRest}, in cycles (0: no rest gate). */
    int maxRestCycles() {
        return maxRestCycles;
    }

    /** How long the last arm request waited for the body to come to rest, ns (-1 before the first). Any thread. */
    public long lastRestWaitNs() {
        return lastRestWaitNs;
    }

    /** Loop thread: the arm request that waited {@code cycles} is judged now. */
    void restWaited(long cycles) {
        lastRestWaitNs = cycles * periodNs;
    }

    private static int cycles(long ns, long periodNs) {
        return (int) Math.min(1_000_000L, (ns + periodNs - 1) / periodNs);
    }

    /** The trajectory generator's phase when the policy takes over (0 on the robot; drawn per episode in training). */
    public void setStartPhaseRad(double startPhaseRad) {
        this.startPhaseRad = Double.isFinite(startPhaseRad) ? startPhaseRad : 0.0;
    }

    /**
     * The pose the next stand-up starts from, given the last frame: its motor angles where the
     * hardware measures them (and the frame has them), else the configured pose. The returned array
     * is this object's; it is read by the supervisor when arming.
     */
    double[] startPose(SensorFrame lastFrame) {
        if (startFromMeasured && lastFrame.isValid(SensorFrame.VALID_MOTOR_ANGLES)) {
            System.arraycopy(lastFrame.motorAngleRad, 0, startRad, 0, motors);
        } else {
            System.arraycopy(configuredStartRad, 0, startRad, 0, motors);
        }
        return startRad;
    }

    /** Arming succeeded: the stand-up begins from the last {@link #startPose}. */
    void begin() {
        failed = false;
        rampDone = 0;
        for (int leg = 0; leg < spec.legCount(); leg++) {
            swing0[leg] = spec.swingOf(leg, startRad);
            ext0[leg] = spec.extensionOf(leg, startRad);
            extTuck[leg] = Math.max(ext0[leg], spec.maxExtensionRad());
        }
        stillCycles = 0;
        settleCycles = 0;
        driving = null;
        setPhase(rampCycles > 0 ? Phase.STAND_UP : (maxSettleCycles > 0 ? Phase.SETTLE : Phase.POLICY));
    }

    /** Disarmed or latched safe: nothing drives. */
    void stop() {
        if (phase != Phase.NONE) {
            setPhase(Phase.NONE);
            driving = null;
        }
    }

    /**
     * Fills {@code out} for this armed cycle and returns the policy's action, or null while the
     * stand-up or the settle gate drives. {@code policy} is the installed controller.
     */
    double[] step(SensorFrame frame, ControllerStep policy, MotorCommand out, long nowNs, long cycle) {
        if (phase == Phase.STAND_UP) {
            rampDone++;
            rampPose(rampDone / (double) rampCycles, out.positionRad);
            holdPosition(out);
            if (rampDone >= rampCycles) {
                setPhase(maxSettleCycles > 0 ? Phase.SETTLE : Phase.POLICY);
            }
            return null;
        }
        if (phase == Phase.SETTLE) {
            settleCycles++;
            boolean upright = frame.isValid(SensorFrame.VALID_ATTITUDE)
                    && Math.abs(frame.rollRad) < settings.settleTiltRad()
                    && Math.abs(frame.pitchRad) < settings.settleTiltRad();
            boolean still = upright && frame.isValid(SensorFrame.VALID_RATES)
                    && Math.abs(frame.rollRateRadPerS) < settings.settleRateRadPerS()
                    && Math.abs(frame.pitchRateRadPerS) < settings.settleRateRadPerS();
            stillCycles = still ? stillCycles + 1 : 0;
            boolean timedOut = settleCycles >= maxSettleCycles;
            if (stillCycles < holdCycles && !timedOut || timedOut && !upright) {
                System.arraycopy(standingRad, 0, out.positionRad, 0, motors);
                holdPosition(out);
                failed = timedOut;
                return null;
            }
            lastSettleWaitNs = settleCycles * periodNs;
            lastSettleTimedOut = stillCycles < holdCycles;
            setPhase(Phase.POLICY);
        }
        if (driving != policy) {
            policy.reset(startPhaseRad);
            driving = policy;
            handOvers = handOvers + 1;
            if (settleCycles == 0) {
                lastSettleWaitNs = 0;
                lastSettleTimedOut = false;
            }
            events.event(EventKind.HANDED_OVER, lastSettleTimedOut ? Reason.SETTLE_TIMEOUT : Reason.NONE, nowNs, cycle,
                    lastSettleWaitNs / 1_000_000L);
        }
        policy.step(frame, out);
        return policy.action();
    }

    /**
     * The stand-up's targets at fraction {@code f} in (0, 1] of the ramp: tuck over the first third,
     * swing under over the second, extend over the last, each linear in leg coordinates.
     */
    private void rampPose(double f, double[] out) {
        double neutral = spec.neutralExtensionRad();
        for (int leg = 0; leg < spec.legCount(); leg++) {
            double s;
            double e;
            if (f <= 1.0 / 3) {
                double g = 3 * f;
                s = swing0[leg];
                e = ext0[leg] + g * (extTuck[leg] - ext0[leg]);
            } else if (f <= 2.0 / 3) {
                double g = 3 * f - 1;
                s = swing0[leg] * (1 - g);
                e = extTuck[leg];
            } else {
                double g = 3 * f - 2;
                s = 0.0;
                e = extTuck[leg] + g * (neutral - extTuck[leg]);
            }
            spec.legToMotorAngles(leg, s, e, out);
        }
        for (int m = 0; m < motors; m++) {
            out[m] = spec.clampPosition(m, out[m]);
        }
    }

    private void holdPosition(MotorCommand out) {
        out.mode = MotorCommand.Mode.POSITION;
        out.customGains = false;
        for (int m = 0; m < motors; m++) {
            out.feedforwardTorqueNm[m] = 0.0;
        }
    }

    private void setPhase(Phase p) {
        phase = p;
        phaseOrdinal = p.ordinal();
    }

    /** The current phase (any thread). */
    public Phase phase() {
        return Phase.of(phaseOrdinal);
    }

    /**
     * The settle gate ran out of time with the body not upright: the stand-up failed and the loop
     * latches {@code stand_up_failed}. Loop thread.
     */
    boolean failed() {
        return failed;
    }

    /** How long the last settle gate waited, ns (-1 before the first hand-over). Any thread. */
    public long lastSettleWaitNs() {
        return lastSettleWaitNs;
    }

    /** The last hand-over came at the end of the bounded wait, not after a still hold. Any thread. */
    public boolean lastSettleTimedOut() {
        return lastSettleTimedOut;
    }

    /** Hand-overs to the policy since start. Any thread. */
    public long handOvers() {
        return handOvers;
    }

    public StandUpSettings settings() {
        return settings;
    }

    /** True when the ramp starts from measured motor angles. */
    public boolean startsFromMeasured() {
        return startFromMeasured;
    }
}
