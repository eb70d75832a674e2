package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device backend over fake chips that behave like their datasheets. */
class DeviceHardwareTest {

    private static final long PERIOD_NS = 10_000_000L;
    private final RobotSpec spec = RobotSpec.minitaur();
    private final List<String> log = new ArrayList<>();
    private final FakePca9685 pwm = new FakePca9685(0x40, log);
    private final FakeMpu6050 imuChip = new FakeMpu6050(0x68, log);
    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private boolean estop;
    private Calibration calibration;
    private DeviceHardware hw;

    @BeforeEach
    void build() throws HardwareException {
        // channels 8..15 in reverse motor order, odd motors mirrored
        JointCalibration[] joints = new JointCalibration[8];
        for (int m = 0; m < 8; m++) {
            joints[m] = new JointCalibration(spec.motorName(m), 15 - m, 500.0, m % 2 == 0 ? 1 : -1, 600.0, 500, 2500);
        }
        calibration = new Calibration(spec, Pca9685.INTERNAL_OSCILLATOR_HZ, joints);
        hw = new DeviceHardware(spec, DeviceConfig.defaults(), calibration, pwm, imuChip, () -> estop, clock,
                pwm.pause(), null);
        hw.start();
    }

    private MotorCommand standing() {
        MotorCommand cmd = new MotorCommand(8);
        cmd.mode = MotorCommand.Mode.POSITION;
        spec.standingPose(cmd.positionRad);
        return cmd;
    }

    @Test
    void frameCarriesImuDataAndLeavesMotorFlagsClear() {
        imuChip.accelXG = 0.0;
        imuChip.accelYG = Math.sin(0.1);
        imuChip.accelZG = Math.cos(0.1);
        imuChip.gyroXDps = 5.0;
        SensorFrame f = new SensorFrame(8);
        clock.advance(PERIOD_NS);
        hw.read(f);
        assertEquals(SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL, f.validMask);
        assertFalse(f.isValid(SensorFrame.VALID_MOTOR_ANGLES));
        assertEquals(0.1, f.rollRad, 1e-3);
        assertEquals(Math.toRadians(5.0), f.rollRateRadPerS, Math.toRadians(1 / 65.5));
        assertEquals(clock.nanoTime(), f.timestampNs);
        assertEquals(1, f.sequence);
    }

    @Test
    void positionCommandBecomesCalibratedPulsesOnTheMappedChannels() {
        MotorCommand cmd = standing();
        cmd.positionRad[1] = 1.0;
        log.clear();
        hw.write(cmd);
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("W 26 "), "one burst from LED8_ON_L: " + log.get(0));
        double tickUs = 122 / 25.0;
        // motor 0 on channel 15: 500 + 600 * pi/2 = 1442.48 us; motor 1 on channel 14 mirrored: 500 - 600 -> 500 (min)
        assertEquals(Math.round((500 + 600 * Math.PI / 2) / tickUs), pwm.offTicks(15));
        assertEquals(Math.round(500 / tickUs), pwm.offTicks(14));
        SensorFrame f = new SensorFrame(8);
        hw.read(f);
        assertEquals(1.0, f.motorAngleRad[1], 0.0, "motor angles echo the command");
    }

    @Test
    void commandsBeyondTheSpecLimitsAreClamped() {
        MotorCommand cmd = standing();
        cmd.positionRad[0] = 10.0;
        hw.write(cmd);
        double tickUs = 122 / 25.0;
        double limited = 500 + 600 * spec.maxPositionRad(0);
        assertEquals(Math.round(Math.min(2500, limited) / tickUs), pwm.offTicks(15));
    }

    @Test
    void dampOffAndEstopSwitchEveryServoOff() {
        hw.write(standing());
        MotorCommand damp = standing();
        damp.mode = MotorCommand.Mode.DAMP;
        hw.write(damp);
        for (int ch = 8; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch), "DAMP channel " + ch);
        }
        hw.write(standing());
        assertTrue(pwm.offTicks(8) > 0);
        estop = true;
        SensorFrame f = new SensorFrame(8);
        hw.read(f);
        assertTrue(f.estopPressed);
        hw.write(standing());
        for (int ch = 8; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch), "E-stop channel " + ch);
        }
    }

    @Test
    void oneBusErrorInvalidatesOneFrameAndThreeInARowLatch() {
        SensorFrame f = new SensorFrame(8);
        int imuFlags = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;
        imuChip.failNextReads = 1;
        hw.read(f);
        assertEquals(0, f.validMask);
        hw.read(f);
        assertEquals(imuFlags, f.validMask);
        imuChip.failNextReads = 2;
        hw.read(f);
        hw.read(f);
        hw.read(f);
        assertEquals(imuFlags, f.validMask, "two errors in a row do not latch");
        imuChip.failNextReads = 3;
        hw.read(f);
        hw.read(f);
        hw.read(f);
        assertTrue(hw.imuFaultLatched());
        hw.read(f);
        assertEquals(0, f.validMask, "latched: a good read no longer validates the frame");
        assertEquals(6, hw.imuErrors());
    }

    @Test
    void threeFailedPwmWritesLatchAnInvalidFrame() {
        SensorFrame f = new SensorFrame(8);
        pwm.failNextWrites = 3;
        hw.write(standing());
        hw.write(standing());
        hw.read(f);
        assertTrue(f.validMask != 0);
        hw.write(standing());
        assertTrue(hw.pwmFaultLatched());
        hw.read(f);
        assertEquals(0, f.validMask);
    }

    @Test
    void closeSwitchesServosOffAndSleepsTheImu() {
        hw.write(standing());
        hw.close();
        hw.close();
        for (int ch = 0; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch));
        }
        assertEquals(Mpu6050.PWR_SLEEP, imuChip.registers[Mpu6050.PWR_MGMT_1]);
        assertTrue(pwm.closed && imuChip.closed);
    }
}
