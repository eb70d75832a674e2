package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PCA9685's OE line as the device backend drives it: a Pi4J digital output on the mock
 * provider, next to the register-level chip fakes. OE (active low) is high from the moment it is
 * wired, goes low only after a position command's pulses are in the chip, and high again, before
 * the registers change, for every command that does not drive, a pressed E-stop, a latched PWM
 * fault and close; Pi4J's own shutdown leaves it high.
 */
class OutputEnableTest {

    private static final int OE_PIN = 22;
    private final RobotSpec spec = RobotSpec.minitaur();
    private final List<String> log = new ArrayList<>();
    private final FakePca9685 pwm = new FakePca9685(0x40, log);
    private final FakeMpu6050 imu = new FakeMpu6050(0x68, log);
    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private final SensorFrame frame = new SensorFrame(8);
    private boolean estop;
    private Context pi4j;
    private MockDigitalOutput line;
    private DeviceHardware hw;

    /** Logs each OE change into the chip log, so the order against register writes shows. */
    private final class Logged implements OutputEnable {
        private final OutputEnable inner;

        Logged(OutputEnable inner) {
            this.inner = inner;
        }

        @Override
        public boolean enable() {
            log.add("OE low");
            return inner.enable();
        }

        @Override
        public boolean disable() {
            log.add("OE high");
            return inner.disable();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @BeforeEach
    void build() {
        pi4j = Pi4J.newContextBuilder().noAutoDetect().add(MockDigitalOutputProvider.newInstance()).build();
        JointCalibration[] joints = new JointCalibration[8];
        for (int m = 0; m < 8; m++) {
            joints[m] = new JointCalibration(spec.motorName(m), 15 - m, 500.0, m % 2 == 0 ? 1 : -1, 600.0, 500, 2500);
        }
        Calibration calibration = new Calibration(spec, Pca9685.INTERNAL_OSCILLATOR_HZ, joints);
        hw = new DeviceHardware(spec, DeviceConfig.defaults(), calibration, pwm, imu, () -> estop, clock, pwm.pause(), pi4j);
    }

    @AfterEach
    void shutdown() {
        if (pi4j != null && !pi4j.isShutdown()) {
            pi4j.shutdown();
        }
    }

    private void wire() {
        hw.setOutputEnable(new Logged(Pi4jOutputEnable.open(pi4j, OE_PIN)));
        line = pi4j.registry().get(Pi4jOutputEnable.ID, MockDigitalOutput.class);
        assertEquals(OE_PIN, line.address());
    }

    private void cycle(MotorCommand.Mode mode) {
        clock.advance(10_000_000L);
        hw.read(frame);
        MotorCommand cmd = new MotorCommand(8);
        cmd.mode = mode;
        spec.standingPose(cmd.positionRad);
        hw.write(cmd);
    }

    private boolean outputsDisabled() {
        return line.state() == DigitalState.HIGH;
    }

    @Test
    void oeIsLowOnlyWhileAPositionCommandDrivesTheServos() throws HardwareException {
        wire();
        assertTrue(outputsDisabled(), "disabled as soon as it is wired");
        hw.start();
        assertTrue(outputsDisabled(), "still disabled after the chip's start (all channels off)");
        cycle(MotorCommand.Mode.OFF);
        assertTrue(outputsDisabled(), "disarmed");

        log.clear();
        cycle(MotorCommand.Mode.POSITION); // armed: the stand-up's first target
        assertFalse(outputsDisabled(), "armed");
        assertTrue(hw.outputsEnabled());
        int burst = indexOf("W 26 ");
        assertTrue(burst >= 0 && burst < log.indexOf("OE low"), "pulses in the chip before OE goes low: " + log);
        for (int ch = 8; ch < 16; ch++) {
            assertTrue(pwm.offTicks(ch) > 0, "channel " + ch + " pulses");
        }

        log.clear();
        cycle(MotorCommand.Mode.POSITION);
        assertFalse(outputsDisabled());
        assertFalse(log.contains("OE low") || log.contains("OE high"), "a steady state touches no GPIO: " + log);

        log.clear();
        cycle(MotorCommand.Mode.DAMP); // the latched safe state
        assertTrue(outputsDisabled(), "safe state");
        assertTrue(log.indexOf("OE high") < indexOf("W 26 "), "cut before the registers change: " + log);
        for (int ch = 8; ch < 16; ch++) {
            assertEquals(-1, pwm.offTicks(ch), "channel " + ch + " off");
        }

        cycle(MotorCommand.Mode.POSITION); // reset and armed again
        assertFalse(outputsDisabled());
        estop = true;
        cycle(MotorCommand.Mode.POSITION);
        assertTrue(outputsDisabled(), "E-stop pressed");
        estop = false;
        cycle(MotorCommand.Mode.POSITION);
        assertFalse(outputsDisabled());

        hw.close();
        assertTrue(outputsDisabled(), "closed");
        assertFalse(hw.outputsEnabled());
    }

    @Test
    void aLatchedPwmFaultDisablesTheOutputsForGood() throws HardwareException {
        wire();
        hw.start();
        cycle(MotorCommand.Mode.POSITION);
        assertFalse(outputsDisabled());
        pwm.failNextWrites = DeviceHardware.ERRORS_TO_LATCH - 1;
        for (int i = 0; i < DeviceHardware.ERRORS_TO_LATCH - 1; i++) {
            cycle(MotorCommand.Mode.POSITION);
            assertFalse(outputsDisabled(), "a single failed write does not latch");
        }
        pwm.failNextWrites = 1;
        cycle(MotorCommand.Mode.POSITION);
        assertTrue(hw.pwmFaultLatched());
        assertTrue(outputsDisabled(), "the chip may repeat stale pulses: OE cuts them");
        for (int i = 0; i < 3; i++) {
            cycle(MotorCommand.Mode.POSITION);
            assertTrue(outputsDisabled(), "stays cut until restart");
            assertEquals(0, frame.validMask);
        }
    }

    @Test
    void pi4jsShutdownStateIsHighSoAContextShutdownDisablesTheOutputs() throws HardwareException {
        wire();
        hw.start();
        cycle(MotorCommand.Mode.POSITION);
        assertFalse(outputsDisabled());
        pi4j.shutdown(); // what Pi4J's JVM shutdown hook does when the process exits
        assertTrue(outputsDisabled());
    }

    @Test
    void anOeLineThatCannotBeSetLatchesAFaultAndInvalidatesEveryFrame() throws HardwareException {
        List<String> calls = new ArrayList<>();
        hw.setOutputEnable(new OutputEnable() {
            @Override
            public boolean enable() {
                calls.add("enable");
                return false;
            }

            @Override
            public boolean disable() {
                calls.add("disable");
                return true;
            }
        });
        hw.start();
        cycle(MotorCommand.Mode.POSITION);
        assertTrue(hw.oeFaultLatched());
        assertFalse(hw.outputsEnabled());
        assertEquals(List.of("disable", "enable", "disable"), calls, "a failed enable is followed by a disable");
        cycle(MotorCommand.Mode.POSITION);
        assertEquals(0, frame.validMask, "the supervisor sees invalid frames and latches the safe state");
        assertEquals(List.of("disable", "enable", "disable"), calls, "no further enable attempts");
        assertEquals(1, hw.oeErrors());
    }

    @Test
    void theRobotRefusesToStartWhenTheKernelKeepsReleasedOutputsDriven(@TempDir Path sys) throws Exception {
        DeviceHardware.requireReleasedOutputsRevert(sys); // no GPIO driver parameters: lines revert
        Path param = Files.createDirectories(sys.resolve("pinctrl_bcm2835/parameters")).resolve("persist_gpio_outputs");
        Files.writeString(param, "N\n");
        DeviceHardware.requireReleasedOutputsRevert(sys);
        Files.writeString(param, "Y\n");
        HardwareException e = assertThrows(HardwareException.class, () -> DeviceHardware.requireReleasedOutputsRevert(sys));
        assertTrue(e.getMessage().startsWith("device.oe_pin"), e.getMessage());
        assertTrue(e.getMessage().contains("strict_gpiod"), e.getMessage());
        Files.writeString(param, "N\n");
        Path rp1 = Files.createDirectories(sys.resolve("pinctrl_rp1/parameters")).resolve("persist_gpio_outputs");
        Files.writeString(rp1, "Y\n");
        e = assertThrows(HardwareException.class, () -> DeviceHardware.requireReleasedOutputsRevert(sys));
        assertTrue(e.getMessage().contains("pinctrl_rp1.persist_gpio_outputs=n"), e.getMessage());
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
