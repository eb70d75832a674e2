package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.FakeStep;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.safety.SafetyLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device backend (PCA9685 servos without encoders, MPU-6050, E-stop input) under the robot's
 * own loop and safety supervisor, on the register-level chip fakes: it arms, stands up from the
 * configured pose, hands over to the policy, and trips on a tilted IMU and on the E-stop input; the
 * PCA9685's OE line is high (outputs cut) while disarmed, low while driven, high again once latched.
 */
class DeviceBackendLoopTest {

    private static final long PERIOD_NS = 10_000_000L;
    private final RobotSpec spec = RobotSpec.minitaur();
    private final List<String> log = new ArrayList<>();
    private final FakePca9685 pwm = new FakePca9685(0x40, log);
    private final FakeMpu6050 imu = new FakeMpu6050(0x68, log);
    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private boolean estop;
    /** The PCA9685's OE line as the backend last set it: true = low = outputs enabled. */
    private boolean oeLow = true;
    private RobotLoop loop;
    private RobotLoop.Lockstep lockstep;

    @BeforeEach
    void build() throws HardwareException {
        JointCalibration[] joints = new JointCalibration[8];
        for (int m = 0; m < 8; m++) {
            joints[m] = new JointCalibration(spec.motorName(m), 15 - m, 500.0, m % 2 == 0 ? 1 : -1, 600.0, 500, 2500);
        }
        Calibration calibration = new Calibration(spec, Pca9685.INTERNAL_OSCILLATOR_HZ, joints);
        DeviceHardware hw = new DeviceHardware(spec, DeviceConfig.defaults(), calibration, pwm, imu, () -> estop, clock,
                pwm.pause(), null);
        hw.setOutputEnable(new OutputEnable() {
            @Override
            public boolean enable() {
                oeLow = true;
                return true;
            }

            @Override
            public boolean disable() {
                oeLow = false;
                return true;
            }
        });
        hw.start();
        loop = RobotLoop.context().hardware(hw).lockstep(clock).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                .safety(SafetyLimits.defaults()).standUp(StandUpSettings.defaults())
                .policy(new InstalledPolicy(new FakeStep(), "ab".repeat(32), 1, true, PERIOD_NS)).build();
        lockstep = loop.lockstep();
    }

    private void armAndWalk() {
        lockstep.ticks(3);
        assertFalse(oeLow, "outputs disabled in hardware while disarmed");
        lockstep.command(CommandKind.ARM);
        for (int i = 0; i < 400 && loop.standUp().phase() != Phase.POLICY; i++) {
            lockstep.tick();
        }
        assertEquals(SafetyState.ARMED, loop.safety().state(), "armed without encoders: " + loop.safety().reason());
        assertEquals(Phase.POLICY, loop.standUp().phase(), "stood up from the configured pose and handed over");
        for (int ch = 8; ch < 16; ch++) {
            assertTrue(pwm.offTicks(ch) > 0, "servo channel " + ch + " driven");
        }
        assertTrue(oeLow, "outputs enabled while the robot is driven");
    }

    @Test
    void armsStandsUpAndTripsOnATiltedImu() {
        armAndWalk();
        imu.accelYG = Math.sin(0.8);
        imu.accelZG = Math.cos(0.8);
        for (int i = 0; i < 300 && loop.safety().state() == SafetyState.ARMED; i++) {
            lockstep.tick();
        }
        assertEquals(SafetyState.SAFE, loop.safety().state());
        assertEquals(Reason.ROLL_LIMIT, loop.safety().reason());
        lockstep.tick();
        for (int ch = 8; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch), "servo channel " + ch + " off in the safe state");
        }
        assertFalse(oeLow, "outputs cut in hardware in the latched safe state");
    }

    @Test
    void theEstopInputStopsItWithinOneCycle() {
        armAndWalk();
        estop = true;
        lockstep.tick();
        assertEquals(SafetyState.SAFE, loop.safety().state());
        assertEquals(Reason.ESTOP_INPUT, loop.safety().reason());
        for (int ch = 8; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch), "servo channel " + ch + " off");
        }
        assertFalse(oeLow, "outputs cut in hardware while the E-stop is pressed");
    }
}
