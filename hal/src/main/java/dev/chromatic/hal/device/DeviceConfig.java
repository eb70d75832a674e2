package dev.chromatic.hal.device;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Settings of the device backend, read from robot.properties ({@code device.*} keys) and checked
 * once at start; every message names the bad key.
 * <pre>
 *   device.i2cBus=1                       /dev/i2c-1 on a Raspberry Pi
 *   device.pca9685.address=0x40
 *   device.mpu6050.address=0x68
 *   device.servoRateHz=50
 *   device.calibration=calibration.properties   (relative to robot.properties)
 *   device.estopPin=-1                    BCM line of the E-stop input, -1 = none
 *   device.estopPressedWhenHigh=true      normally-closed button to ground with pull-up
 *   device.reset_pin=-1                   BCM line of the local reset button (normally open to ground), -1 = none
 *   device.oe_pin=-1                      BCM line driving the PCA9685's active-low OE input (pull-up to 3.3 V), -1 = none
 *   device.imu.accelRangeG=4
 *   device.imu.gyroRangeDps=500
 *   device.imu.dlpf=3                     44 Hz / 42 Hz bandwidth
 *   device.imu.sampleRateDivider=0        1 kHz with the DLPF on
 *   device.imu.filterTimeConstantS=0.5
 *   device.imu.gyroBiasSamples=200
 * </pre>
 */
public final class DeviceConfig {

    public final int i2cBus;
    public final int pca9685Address;
    public final int mpu6050Address;
    public final double servoRateHz;
    public final Path calibrationFile;
    public final int estopPin;
    public final boolean estopPressedWhenHigh;
    public final int resetPin;
    /** BCM line of the PCA9685's OE input, -1 when not wired. */
    public final int oePin;
    public final int accelRangeG;
    public final int gyroRangeDps;
    public final int dlpf;
    public final int sampleRateDivider;
    public final double filterTimeConstantS;
    public final int gyroBiasSamples;

    private DeviceConfig(Properties p, Path baseDir) {
        i2cBus = integer(p, "device.i2cBus", "1", 0, 31);
        pca9685Address = integer(p, "device.pca9685.address", "0x40", 0x03, 0x77);
        mpu6050Address = integer(p, "device.mpu6050.address", "0x68", 0x68, 0x69);
        if (pca9685Address == mpu6050Address) {
            throw new IllegalArgumentException("device.pca9685.address and device.mpu6050.address must differ");
        }
        servoRateHz = number(p, "device.servoRateHz", "50", 24, 400);
        String cal = p.getProperty("device.calibration", "calibration.properties").trim();
        if (cal.isEmpty()) {
            throw new IllegalArgumentException("device.calibration must name a file");
        }
        Path calPath = Path.of(cal);
        calibrationFile = calPath.isAbsolute() || baseDir == null ? calPath : baseDir.resolve(calPath);
        estopPin = integer(p, "device.estopPin", "-1", -1, 63);
        estopPressedWhenHigh = bool(p, "device.estopPressedWhenHigh", "true");
        resetPin = integer(p, "device.reset_pin", "-1", -1, 63);
        if (resetPin >= 0 && resetPin == estopPin) {
            throw new IllegalArgumentException("device.reset_pin and device.estopPin must be different lines");
        }
        oePin = integer(p, "device.oe_pin", "-1", -1, 63);
        if (oePin >= 0 && (oePin == estopPin || oePin == resetPin)) {
            throw new IllegalArgumentException("device.oe_pin must be a line of its own, not the E-stop or reset input ("
                    + oePin + ")");
        }
        if (i2cBus == 1 && (oePin == 2 || oePin == 3)) {
            throw new IllegalArgumentException("device.oe_pin " + oePin + " is an I2C bus 1 line (BCM 2 SDA, 3 SCL)");
        }
        accelRangeG = integer(p, "device.imu.accelRangeG", "4", 2, 16);
        gyroRangeDps = integer(p, "device.imu.gyroRangeDps", "500", 250, 2000);
        dlpf = integer(p, "device.imu.dlpf", "3", 0, 6);
        sampleRateDivider = integer(p, "device.imu.sampleRateDivider", "0", 0, 255);
        filterTimeConstantS = number(p, "device.imu.filterTimeConstantS", "0.5", 0.001, 100);
        gyroBiasSamples = integer(p, "device.imu.gyroBiasSamples", "200", 1, 10_000);
    }

    /**
     * Reads the {@code device.*} keys of {@code props}; a relative calibration path is resolved
     * against {@code baseDir} (the folder of robot.properties; null = working directory).
     */
    public static DeviceConfig fromProperties(Properties props, Path baseDir) {
        return new DeviceConfig(props, baseDir);
    }

    /** Every default. */
    public static DeviceConfig defaults() {
        return new DeviceConfig(new Properties(), null);
    }

    private static int integer(Properties p, String key, String def, int min, int max) {
        String v = p.getProperty(key, def).trim();
        int value;
        try {
            value = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not an integer: '" + v + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must lie in " + min + ".." + max + ", was " + v);
        }
        return value;
    }

    private static double number(Properties p, String key, String def, double min, double max) {
        String v = p.getProperty(key, def).trim();
        double value;
        try {
            value = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + v + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must lie in " + min + ".." + max + ", was " + v);
        }
        return value;
    }

    private static boolean bool(Properties p, String key, String def) {
        String v = p.getProperty(key, def).trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
    }
}
