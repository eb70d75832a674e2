package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the Pi4J wiring only: the backend opens its chips, E-stop, reset and OE lines through a real Pi4J
 * context (mock providers) and moves bytes through it. Pi4J's MockI2C is a FIFO per register,
 * not a chip, so behaviour is tested against the fake chips elsewhere.
 */
class Pi4jMockWiringTest {

    private Context pi4j;

    @AfterEach
    void shutdown() {
        if (pi4j != null && !pi4j.isShutdown()) {
            pi4j.shutdown();
        }
    }

    @Test
    void backendOpensChipsAndEstopThroughAPi4jContext(@TempDir Path dir) throws IOException, HardwareException {
        RobotSpec spec = RobotSpec.minitaur();
        Calibration.defaults(spec).save(dir.resolve("calibration.properties"), spec);
        Properties p = new Properties();
        p.setProperty("device.estopPin", "17");
        p.setProperty("device.reset_pin", "27");
        p.setProperty("device.oe_pin", "22");
        p.setProperty("device.imu.gyroBiasSamples", "1");
        DeviceConfig config = DeviceConfig.fromProperties(p, dir);
        pi4j = Pi4J.newContextBuilder().noAutoDetect()
                .add(MockI2CProvider.newInstance(), MockDigitalInputProvider.newInstance(),
                        MockDigitalOutputProvider.newInstance()).build();
        DeviceHardware hw = DeviceHardware.open(config, spec, pi4j, new ManualNanoClock(), ns -> { });
        MockDigitalOutput oe = pi4j.registry().get(Pi4jOutputEnable.ID, MockDigitalOutput.class);
        assertEquals(22, oe.address());
        assertEquals(DigitalState.HIGH, oe.state(), "OE (active low) holds the outputs disabled from the open on");

        I2C pca = pi4j.registry().get("chromatic-pca9685", I2C.class);
        I2C mpu = pi4j.registry().get("chromatic-mpu6050", I2C.class);
        assertEquals(1, pca.bus());
        assertEquals(0x40, pca.device());
        assertEquals(0x68, mpu.device());

        // FIFO answers for the reads the PWM start makes: MODE1, then PRE_SCALE
        pca.writeRegister(Pca9685.MODE1, (byte) 0x11);
        pca.writeRegister(Pca9685.PRE_SCALE, (byte) 121);
        hw.pca9685().start(50, ns -> { });
        double[] pulses = {1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500};
        assertTrue(hw.pca9685().writePulses(pulses));
        byte[] burst = new byte[32];
        assertEquals(32, pca.readRegister(Pca9685.LED0_ON_L, burst, 0, 32));
        int ticks = (int) Math.round(1500.0 / (122 / 25.0));
        assertArrayEquals(new byte[] {0, 0, (byte) (ticks & 0xFF), (byte) (ticks >> 8)}, Arrays.copyOf(burst, 4));

        // one IMU burst: accel z = +1 g at the +-4 g range, gyro x = -1 LSB (bytes come back signed)
        mpu.writeRegister(Mpu6050.ACCEL_XOUT_H, new byte[] {0, 0, 0, 0, 0x20, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0});
        assertTrue(hw.mpu6050().read());
        assertEquals(Mpu6050.STANDARD_GRAVITY_MPS2, hw.mpu6050().accelZMps2, 1e-12);
        assertEquals(-Math.toRadians(1 / 65.5), hw.mpu6050().gyroXRadPerS, 1e-12);

        MockDigitalInput estop = pi4j.registry().get("chromatic-estop", MockDigitalInput.class);
        estop.mockState(DigitalState.HIGH);
        SensorFrame f = new SensorFrame(8);
        hw.read(f);
        assertTrue(f.estopPressed);
        estop.mockState(DigitalState.LOW);
        hw.read(f);
        assertFalse(f.estopPressed);

        MockDigitalInput reset = pi4j.registry().get("chromatic-reset", MockDigitalInput.class);
        assertEquals(27, reset.address());
        reset.mockState(DigitalState.HIGH);
        hw.read(f);
        assertFalse(f.resetPressed, "the pull-up holds the released button high");
        reset.mockState(DigitalState.LOW);
        hw.read(f);
        assertTrue(f.resetPressed);
        assertEquals(DigitalState.HIGH, oe.state(), "never enabled: no position command was written");
        hw.close();
        assertEquals(DigitalState.HIGH, oe.state());
    }
}
