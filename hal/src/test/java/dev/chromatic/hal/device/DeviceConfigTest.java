package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeviceConfigTest {

    @Test
    void defaultsDescribeTheReferenceBuild() {
        DeviceConfig c = DeviceConfig.defaults();
        assertEquals(1, c.i2cBus);
        assertEquals(0x40, c.pca9685Address);
        assertEquals(0x68, c.mpu6050Address);
        assertEquals(50.0, c.servoRateHz, 0.0);
        assertEquals(-1, c.estopPin);
        assertEquals(-1, c.oePin, "no OE line unless configured");
    }

    @Test
    void theOeLineIsReadAndMustBeALineOfItsOwn() {
        Properties p = new Properties();
        p.setProperty("device.oe_pin", "22");
        p.setProperty("device.estopPin", "17");
        p.setProperty("device.reset_pin", "27");
        assertEquals(22, DeviceConfig.fromProperties(p, null).oePin);
        for (String taken : new String[] {"17", "27"}) {
            p.setProperty("device.oe_pin", taken);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceConfig.fromProperties(p, null));
            assertTrue(e.getMessage().startsWith("device.oe_pin"), e.getMessage());
        }
    }

    @Test
    void hexAddressesAndRelativeCalibrationPathAreRead() {
        Properties p = new Properties();
        p.setProperty("device.pca9685.address", "0x41");
        p.setProperty("device.calibration", "cal/robot7.properties");
        p.setProperty("device.estopPin", "17");
        DeviceConfig c = DeviceConfig.fromProperties(p, Path.of("/etc/chromatic"));
        assertEquals(0x41, c.pca9685Address);
        assertEquals(Path.of("/etc/chromatic/cal/robot7.properties"), c.calibrationFile);
        assertEquals(17, c.estopPin);
    }

    @Test
    void badValuesNameTheirKey() {
        String[][] cases = {
            {"device.i2cBus", "one"}, {"device.mpu6050.address", "0x40"}, {"device.servoRateHz", "1000"},
            {"device.estopPressedWhenHigh", "yes"}, {"device.imu.dlpf", "9"},
            {"device.oe_pin", "64"}, {"device.oe_pin", "-2"}, {"device.oe_pin", "GPIO22"}, {"device.oe_pin", "3"},
        };
        for (String[] c : cases) {
            Properties p = new Properties();
            p.setProperty(c[0], c[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceConfig.fromProperties(p, null));
            assertTrue(e.getMessage().startsWith(c[0]), e.getMessage());
        }
    }
}
