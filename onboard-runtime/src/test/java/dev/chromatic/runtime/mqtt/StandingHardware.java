package dev.chromatic.runtime.mqtt;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/** A robot standing still on real time: every read is fresh and valid. */
final class StandingHardware implements Hardware {

    private final RobotSpec spec = RobotSpec.minitaur();
    private final double[] pose = new double[8];
    private long sequence;
    volatile long writes;

    StandingHardware() {
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
        out.sequence = ++sequence;
        out.timestampNs = NanoClock.system().nanoTime();
        out.validMask = SensorFrame.VALID_ALL;
        System.arraycopy(pose, 0, out.motorAngleRad, 0, 8);
        out.rollRad = 0.01;
        out.pitchRad = -0.01;
    }

    @Override
    public void write(MotorCommand command) {
        writes = writes + 1;
    }

    @Override
    public void close() {
    }
}
