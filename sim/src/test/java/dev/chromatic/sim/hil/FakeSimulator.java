package dev.chromatic.sim.hil;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic lockstep simulator for tests of the link: first-order joints tracking their
 * targets plus seeded noise, so every frame depends on the seed and on every command so far.
 * Records the modes it was driven with.
 */
final class FakeSimulator implements Hardware {

    static final long PERIOD_NS = 5_000_000L;

    private final RobotSpec spec = RobotSpec.minitaur();
    private final SplittableRandom random;
    private final double[] angleRad = new double[8];
    private final double[] velocityRadPerS = new double[8];
    private final long periodNs;
    private long timeNs;
    private long reads;
    private double rollRad;
    final List<MotorCommand.Mode> modes = new ArrayList<>();
    boolean started;
    boolean closed;

    FakeSimulator(long seed) {
        this(seed, PERIOD_NS);
    }

    FakeSimulator(long seed, long periodNs) {
        this.periodNs = periodNs;
        random = new SplittableRandom(seed);
        spec.standingPose(angleRad);
    }

    static SimulatorFactory factory() {
        return new SimulatorFactory() {
            @Override
            public long controlPeriodNs() {
                return PERIOD_NS;
            }

            @Override
            public Hardware create(long seed) {
                return new FakeSimulator(seed);
            }
        };
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    @Override
    public int measuredMask() {
        return SensorFrame.VALID_ALL;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void read(SensorFrame out) {
        out.timestampNs = timeNs;
        out.sequence = reads++;
        out.validMask = SensorFrame.VALID_ALL;
        for (int i = 0; i < 8; i++) {
            out.motorAngleRad[i] = angleRad[i];
            out.motorVelocityRadPerS[i] = velocityRadPerS[i];
            out.motorTorqueNm[i] = 0.3 * velocityRadPerS[i];
        }
        out.rollRad = rollRad;
        out.pitchRad = 0.5 * rollRad;
        out.yawRad = random.nextDouble() * 1e-3;
        out.rollRateRadPerS = random.nextGaussian();
        out.pitchRateRadPerS = random.nextGaussian();
        out.yawRateRadPerS = random.nextGaussian();
        out.accelXMps2 = random.nextGaussian();
        out.accelYMps2 = random.nextGaussian();
        out.accelZMps2 = 9.81 + random.nextGaussian();
        out.estopPressed = false;
    }

    @Override
    public void write(MotorCommand command) {
        modes.add(command.mode);
        double dt = periodNs * 1e-9;
        for (int i = 0; i < 8; i++) {
            double target = command.mode == MotorCommand.Mode.POSITION ? command.positionRad[i] : angleRad[i];
            double before = angleRad[i];
            angleRad[i] += 0.2 * (target - angleRad[i]) + 1e-4 * random.nextGaussian();
            velocityRadPerS[i] = (angleRad[i] - before) / dt;
        }
        rollRad = 0.9 * rollRad + 0.01 * (angleRad[0] - angleRad[7]);
        timeNs += periodNs;
    }

    @Override
    public void close() {
        closed = true;
    }
}
