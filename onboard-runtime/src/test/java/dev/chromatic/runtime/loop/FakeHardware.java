package dev.chromatic.runtime.loop;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/** A robot standing still whose sensors the test sets directly; can be slow and can freeze. */
public final class FakeHardware implements Hardware {

    private final RobotSpec spec = RobotSpec.minitaur();
    private final ManualNanoClock clock;
    public final double[] pose = new double[8];
    public final MotorCommand written = new MotorCommand(8);
    public long sequence;
    public boolean frozen;
    public int validMask = SensorFrame.VALID_ALL;
    public double rollRad;
    public double pitchRad;
    public boolean estopPressed;
    public long readDelayNs;
    public long writes;

    public FakeHardware(ManualNanoClock clock) {
        this.clock = clock;
        spec.standingPose(pose);
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    @Override
    public void start() {
    }

    @Override
    public void read(SensorFrame out) {
        if (readDelayNs > 0) {
            clock.advance(readDelayNs);
        }
        if (!frozen) {
            sequence++;
        }
        out.sequence = sequence;
        out.timestampNs = clock.nanoTime();
        out.validMask = validMask;
        System.arraycopy(pose, 0, out.motorAngleRad, 0, 8);
        out.rollRad = rollRad;
        out.pitchRad = pitchRad;
        out.estopPressed = estopPressed;
    }

    @Override
    public void write(MotorCommand command) {
        written.copyFrom(command);
        writes++;
    }

    @Override
    public void close() {
    }
}
