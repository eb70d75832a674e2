package dev.chromatic.tools.run;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;

/**
 * A kinematic stand-in robot for measuring the runtime itself: motors reach their position targets
 * within one period (velocity = step / period), the body stays level, every read is fresh and valid.
 * No physics and no allocation, so a loop benchmark on it measures the loop, not a simulator.
 */
final class IdealActuatorHardware implements Hardware {

    private final RobotSpec spec = RobotSpec.minitaur();
    private final NanoClock clock;
    private final double periodS;
    private final double[] angleRad = new double[8];
    private final double[] velocityRadPerS = new double[8];
    private long sequence;

    IdealActuatorHardware(NanoClock clock, long periodNs) {
        this.clock = clock;
        this.periodS = periodNs * 1e-9;
        spec.standingPose(angleRad);
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
        out.timestampNs = clock.nanoTime();
        out.validMask = SensorFrame.VALID_ALL;
        System.arraycopy(angleRad, 0, out.motorAngleRad, 0, 8);
        System.arraycopy(velocityRadPerS, 0, out.motorVelocityRadPerS, 0, 8);
        out.rollRad = 0;
        out.pitchRad = 0;
        out.accelZMps2 = 9.81;
    }

    @Override
    public void write(MotorCommand command) {
        if (command.mode != MotorCommand.Mode.POSITION) {
            java.util.Arrays.fill(velocityRadPerS, 0.0);
            return;
        }
        for (int m = 0; m < 8; m++) {
            velocityRadPerS[m] = (command.positionRad[m] - angleRad[m]) / periodS;
            angleRad[m] = command.positionRad[m];
        }
    }

    @Override
    public void close() {
    }
}
