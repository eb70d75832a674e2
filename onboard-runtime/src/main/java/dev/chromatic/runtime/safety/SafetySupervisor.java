package dev.chromatic.runtime.safety;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.EventSink;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands between the controller and the motors. While armed it clamps every target to the spec's
 * position limits and to a maximum target rate, and latches the safe state (motors damping in place)
 * on: |roll| or |pitch| over the limit, NaN/Inf in the action or targets, K consecutive invalid or
 * stale frames, K consecutive overruns, an E-stop command, or the E-stop input (in any state). The
 * latch is cleared only by {@link #reset}. Arming is refused while sensors are stale or invalid, the
 * policy is missing or unverified, the latch is set, or the body is tilted beyond the roll or pitch
 * limit (a robot lying on its side is not armed). Every transition is an event.
 *
 * <p>The supervisor only judges and clamps: what drives the motors while armed (the stand-up, the
 * settle gate, the policy) is decided before it, and it treats every phase alike. Faults of the
 * controller or the hardware inside a cycle are reported to it ({@link #fault}) and latch like
 * any other trip.
 *
 * <p>Not thread-safe: called only from the loop thread. {@link #state()}, {@link #reason()} and
 * {@link #tripCount()} may be read from any thread.
 */
public final class SafetySupervisor {

    private final RobotSpec spec;
    private final SafetyLimits limits;
    private final EventSink events;
    private final int motors;
    private final double[] prevTargetRad;
    private final double[] measuredRad;
    private long periodNs;
    private final AtomicLong trips = new AtomicLong();
    private volatile TripListener tripListener;
    private volatile int stateOrdinal = SafetyState.DISARMED.ordinal();
    private volatile int reasonOrdinal = Reason.NONE.ordinal();
    private SafetyState state = SafetyState.DISARMED;
    private Reason lastArmRefusal = Reason.NONE;
    private double maxStepRad;
    private int badFrames = Integer.MAX_VALUE / 2;
    private boolean lastFrameInvalid = true;
    private boolean haveMeasured;
    private long lastSequence = Long.MIN_VALUE;
    private boolean estopInput;
    private double lastRollRad;
    private double lastPitchRad;
    private final boolean needsAngles;
    private boolean localResetRequired;
    private boolean localResetSeen;

    public SafetySupervisor(RobotSpec spec, SafetyLimits limits, long periodNs, EventSink events) {
        this.spec = spec;
        this.limits = limits;
        this.events = events;
        this.motors = spec.motorCount();
        this.needsAngles = (limits.requiredValidMask() & SensorFrame.VALID_MOTOR_ANGLES) != 0;
        this.prevTargetRad = new double[motors];
        this.measuredRad = new double[motors];
        spec.standingPose(prevTargetRad);
        setPeriodNs(periodNs);
    }

    /** Sets the period used by the rate limit: max step = min(limit, spec velocity) * period. */
    public void setPeriodNs(long periodNs) {
        this.periodNs = periodNs;
        double rate = Math.min(limits.maxTargetRateRadPerS(), spec.maxVelocityRadPerS());
        this.maxStepRad = rate * periodNs * 1e-9;
    }

    /**
     * With true, {@link #reset} also needs the local reset input ({@link SensorFrame#resetPressed})
     * to have been pressed after the latch: a remote reset alone does not clear it. Set at composition.
     */
    public void requireLocalReset(boolean required) {
        this.localResetRequired = required;
    }

    /** Registers the one trip listener (null to remove). */
    public void setTripListener(TripListener listener) {
        this.tripListener = listener;
    }

    /** Checks a fresh frame: staleness, validity, E-stop input and attitude limits. */
    public void checkSensors(SensorFrame f, long nowNs, long cycle) {
        boolean stale = f.sequence == lastSequence;
        lastSequence = f.sequence;
        boolean invalid = !f.isValid(limits.requiredValidMask())
                || !Double.isFinite(f.rollRad) || !Double.isFinite(f.pitchRad);
        lastFrameInvalid = invalid;
        if (invalid || stale) {
            badFrames++;
        } else {
            badFrames = 0;
        }
        if (f.isValid(SensorFrame.VALID_MOTOR_ANGLES)) {
            System.arraycopy(f.motorAngleRad, 0, measuredRad, 0, motors);
            haveMeasured = true;
        }
        estopInput = f.estopPressed;
        if (!invalid) {
            lastRollRad = f.rollRad;
            lastPitchRad = f.pitchRad;
        }
        if (estopInput) {
            trip(Reason.ESTOP_INPUT, nowNs, cycle);
        }
        if (state == SafetyState.SAFE && f.resetPressed && !estopInput) {
            localResetSeen = true;
        }
        if (state != SafetyState.ARMED) {
            return;
        }
        if (badFrames >= limits.badSensorCycles()) {
            trip(invalid ? Reason.SENSORS_INVALID : Reason.SENSORS_STALE, nowNs, cycle);
        } else if (!invalid && Math.abs(f.rollRad) > limits.maxRollRad()) {
            trip(Reason.ROLL_LIMIT, nowNs, cycle);
        } else if (!invalid && Math.abs(f.pitchRad) > limits.maxPitchRad()) {
            trip(Reason.PITCH_LIMIT, nowNs, cycle);
        }
    }

    /**
     * Turns the controller's output into what is written: clamped targets while armed, motors off
     * while disarmed, the damping posture once latched. {@code action} may be null (no controller).
     */
    public void filter(double[] action, MotorCommand cmd, int consecutiveOverruns, long nowNs, long cycle) {
        if (state == SafetyState.ARMED) {
            if (consecutiveOverruns >= limits.overrunCycles()) {
                trip(Reason.OVERRUNS, nowNs, cycle);
            } else if (!finite(action) || !finite(cmd)) {
                trip(Reason.NON_FINITE_ACTION, nowNs, cycle);
            }
        }
        switch (state) {
            case ARMED -> clamp(cmd);
            case SAFE -> safePosture(cmd);
            default -> cmd.clear();
        }
    }

    private void clamp(MotorCommand cmd) {
        double maxTorque = spec.maxTorqueNm();
        for (int m = 0; m < motors; m++) {
            double prev = prevTargetRad[m];
            double t = cmd.positionRad[m];
            t = t < prev - maxStepRad ? prev - maxStepRad : (t > prev + maxStepRad ? prev + maxStepRad : t);
            t = spec.clampPosition(m, t);
            cmd.positionRad[m] = t;
            prevTargetRad[m] = t;
            double ff = cmd.feedforwardTorqueNm[m];
            cmd.feedforwardTorqueNm[m] = ff < -maxTorque ? -maxTorque : (ff > maxTorque ? maxTorque : ff);
        }
        cmd.mode = MotorCommand.Mode.POSITION;
    }

    private void safePosture(MotorCommand cmd) {
        cmd.clear();
        cmd.mode = MotorCommand.Mode.DAMP;
        System.arraycopy(haveMeasured ? measuredRad : prevTargetRad, 0, cmd.positionRad, 0, motors);
    }

    /**
     * Arms if allowed; returns whether the robot is now armed. Emits ARMED or ARM_REFUSED. The rate
     * limit starts from {@code startPoseRad}, where the first armed targets begin (the measured
     * angles, or the configured pose of a robot without encoders).
     */
    public boolean requestArm(boolean havePolicy, boolean policyVerified, long nowNs, long cycle, long seq,
            double[] startPoseRad) {
        Reason refusal = Reason.NONE;
        if (state == SafetyState.SAFE) {
            refusal = Reason.IN_SAFE_STATE;
        } else if (state == SafetyState.ARMED) {
            refusal = Reason.ALREADY_ARMED;
        } else if (!havePolicy) {
            refusal = Reason.NO_POLICY;
        } else if (!policyVerified) {
            refusal = Reason.POLICY_UNVERIFIED;
        } else if (estopInput) {
            refusal = Reason.ESTOP_INPUT;
        } else if (lastFrameInvalid || (needsAngles && !haveMeasured)) {
            refusal = Reason.SENSORS_INVALID;
        } else if (badFrames > 0) {
            refusal = Reason.SENSORS_STALE;
        } else if (Math.abs(lastRollRad) > limits.maxRollRad()) {
            refusal = Reason.ROLL_LIMIT;
        } else if (Math.abs(lastPitchRad) > limits.maxPitchRad()) {
            refusal = Reason.PITCH_LIMIT;
        }
        lastArmRefusal = refusal;
        if (refusal != Reason.NONE) {
            events.event(EventKind.ARM_REFUSED, refusal, nowNs, cycle, seq);
            return false;
        }
        System.arraycopy(startPoseRad, 0, prevTargetRad, 0, motors);
        setState(SafetyState.ARMED, Reason.NONE);
        events.event(EventKind.ARMED, Reason.NONE, nowNs, cycle, seq);
        return true;
    }

    /** Armed becomes disarmed; a latched safe state stays latched. */
    public void disarm(long nowNs, long cycle, long seq) {
        if (state == SafetyState.ARMED) {
            setState(SafetyState.DISARMED, Reason.NONE);
        }
        events.event(EventKind.DISARMED, reason(), nowNs, cycle, seq);
    }

    /**
     * A cycle's controller or hardware threw: latches {@code controller_fault} or
     * {@code hardware_fault} (in any state: a failing driver is not to be armed) and the loop writes
     * the damping posture.
     */
    public void fault(Reason why, long nowNs, long cycle) {
        trip(why, nowNs, cycle);
    }

    /** Latches the safe state because of an E-stop command. */
    public void estop(long nowNs, long cycle) {
        trip(Reason.ESTOP_COMMAND, nowNs, cycle);
    }

    /**
     * Clears the latch (to disarmed) unless the E-stop input is still pressed or, where the local
     * reset is required, the reset input was not pressed since the latch.
     */
    public boolean reset(long nowNs, long cycle, long seq) {
        if (estopInput) {
            events.event(EventKind.RESET_REFUSED, Reason.ESTOP_INPUT, nowNs, cycle, seq);
            return false;
        }
        if (state == SafetyState.SAFE && localResetRequired && !localResetSeen) {
            events.event(EventKind.RESET_REFUSED, Reason.LOCAL_RESET_REQUIRED, nowNs, cycle, seq);
            return false;
        }
        Reason was = reason();
        if (state == SafetyState.SAFE) {
            setState(SafetyState.DISARMED, Reason.NONE);
        }
        events.event(EventKind.RESET, was, nowNs, cycle, seq);
        return true;
    }

    private void trip(Reason why, long nowNs, long cycle) {
        if (state == SafetyState.SAFE) {
            return;
        }
        setState(SafetyState.SAFE, why);
        localResetSeen = false;
        trips.incrementAndGet();
        events.event(EventKind.SAFE_STATE, why, nowNs, cycle, 0);
        TripListener l = tripListener;
        if (l != null) {
            try {
                l.onTrip(why, nowNs, cycle);
            } catch (RuntimeException ignored) {
                // a listener must not break the loop; the latch is already set
            }
        }
    }

    private void setState(SafetyState s, Reason r) {
        state = s;
        stateOrdinal = s.ordinal();
        reasonOrdinal = r.ordinal();
    }

    private static boolean finite(double[] v) {
        if (v == null) {
            return true;
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private boolean finite(MotorCommand cmd) {
        for (int m = 0; m < motors; m++) {
            if (!Double.isFinite(cmd.positionRad[m]) || !Double.isFinite(cmd.feedforwardTorqueNm[m])
                    || !Double.isFinite(cmd.kp[m]) || !Double.isFinite(cmd.kd[m])) {
                return false;
            }
        }
        return true;
    }

    /** Current state; safe to read from any thread. */
    public SafetyState state() {
        return SafetyState.of(stateOrdinal);
    }

    /** Why the latch is set ({@link Reason#NONE} otherwise); safe to read from any thread. */
    /** The last frame was new and valid (what arming needs). */
    public boolean sensorsFresh() {
        return badFrames == 0 && !lastFrameInvalid;
    }

    /** Why the last arm request was refused, or {@code NONE} when it was granted (or none was made). */
    public Reason lastArmRefusal() {
        return lastArmRefusal;
    }

    public Reason reason() {
        return Reason.of(reasonOrdinal);
    }

    public boolean isArmed() {
        return state == SafetyState.ARMED;
    }

    /** Number of times the safe state latched since start; safe to read from any thread. */
    public long tripCount() {
        return trips.get();
    }

    public SafetyLimits limits() {
        return limits;
    }
}
