package dev.chromatic.hal.standin;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/**
 * The {@code ideal} backend: a kinematic robot without physics. Position targets are reached
 * within one period (velocity = step / period), the body holds the attitude its handles set, and
 * every read is fresh and valid unless a handle says otherwise. It measures the runtime itself
 * (benchmarks, soak runs) and stands in for a robot in tests, whose handles set the sensors
 * ({@link #rollRad}, {@link #frozen}, {@link #validMask}, ...) and read what was written
 * ({@link #written}). Never allocates in {@link #read} or {@link #write}.
 *
 * <p>Handles are plain fields for the thread that drives the loop; {@link #writes} may be read
 * from any thread.
 */
public final class StandInHardware implements Hardware {

    private final RobotSpec spec;
    private final NanoClock clock;
    private final double periodS;
    private final int measuredMask;
    /** Motor angles (the robot's pose); targets written in POSITION mode land here. */
    public final double[] poseRad;
    public final double[] velocityRadPerS;
    /** The last command written. */
    public final MotorCommand written;
    public double rollRad;
    public double pitchRad;
    public double rollRateRadPerS;
    public double pitchRateRadPerS;
    /** The next reads repeat the last sequence number (a stalled sensor). */
    public boolean frozen;
    /** Validity bits of the next reads (masked by what this backend measures). */
    public int validMask = SensorFrame.VALID_ALL;
    public boolean estopPressed;
    /** The local reset input, as a test presses it. */
    public boolean resetPressed;
    /** Each read advances a {@link ManualNanoClock} by this much (a slow bus); ignored on other clocks. */
    public long readDelayNs;
    /** Thrown from the next read when set (a driver that fails), then cleared. */
    public RuntimeException readFault;
    private long sequence;
    private volatile long writes;

    /** A stand-in Minitaur that measures everything, at rest in the standing pose. */
    public StandInHardware(NanoClock clock, long periodNs) {
        this(RobotSpec.minitaur(), clock, periodNs, SensorFrame.VALID_ALL);
    }

    /**
     * @param measuredMask what this stand-in declares it can measure (e.g. no motor angles, like
     *                     hobby servos)
     */
    public StandInHardware(RobotSpec spec, NanoClock clock, long periodNs, int measuredMask) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("periodNs must be > 0, was " + periodNs);
        }
        this.spec = spec;
        this.clock = clock;
        this.periodS = periodNs * 1e-9;
        this.measuredMask = measuredMask & SensorFrame.VALID_ALL;
        this.poseRad = new double[spec.motorCount()];
        this.velocityRadPerS = new double[spec.motorCount()];
        this.written = new MotorCommand(spec.motorCount());
        spec.standingPose(poseRad);
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    @Override
    public int measuredMask() {
        return measuredMask;
    }

    @Override
    public void start() {
    }

    @Override
    public void read(SensorFrame out) {
        RuntimeException fault = readFault;
        if (fault != null) {
            readFault = null;
            throw fault;
        }
        if (readDelayNs > 0 && clock instanceof ManualNanoClock manual) {
            manual.advance(readDelayNs);
        }
        if (!frozen) {
            sequence++;
        }
        out.sequence = sequence;
        out.timestampNs = clock.nanoTime();
        out.validMask = validMask & measuredMask;
        int n = Math.min(out.motorCount, poseRad.length);
        System.arraycopy(poseRad, 0, out.motorAngleRad, 0, n);
        System.arraycopy(velocityRadPerS, 0, out.motorVelocityRadPerS, 0, n);
        out.rollRad = rollRad;
        out.pitchRad = pitchRad;
        out.yawRad = 0.0;
        out.rollRateRadPerS = rollRateRadPerS;
        out.pitchRateRadPerS = pitchRateRadPerS;
        out.yawRateRadPerS = 0.0;
        out.accelXMps2 = 0.0;
        out.accelYMps2 = 0.0;
        out.accelZMps2 = 9.81;
        out.estopPressed = estopPressed;
        out.resetPressed = resetPressed;
    }

    @Override
    public void write(MotorCommand command) {
        if (command.motorCount == written.motorCount) {
            written.copyFrom(command);
        }
        writes = writes + 1;
        if (command.mode != MotorCommand.Mode.POSITION) {
            java.util.Arrays.fill(velocityRadPerS, 0.0);
            return;
        }
        int n = Math.min(command.motorCount, poseRad.length);
        for (int m = 0; m < n; m++) {
            double target = command.positionRad[m];
            if (Double.isFinite(target)) {
                velocityRadPerS[m] = (target - poseRad[m]) / periodS;
                poseRad[m] = target;
            }
        }
    }

    /** Commands written so far (any thread). */
    public long writes() {
        return writes;
    }

    /** The sequence number of the last read. */
    public long sequence() {
        return sequence;
    }

    @Override
    public void close() {
    }
}
