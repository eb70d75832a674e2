package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mpu6050Test {

    private static final double G = Mpu6050.STANDARD_GRAVITY_MPS2;

    @Test
    void startChecksIdentityResetsWakesAndConfiguresRanges() throws HardwareException {
        FakeMpu6050 chip = new FakeMpu6050();
        Mpu6050 imu = new Mpu6050(chip, 4, 500, 3, 0);
        imu.start(chip.pause());
        assertEquals(List.of("W 6b 80", "P 100000000", "W 6b 01", "W 19 00", "W 1a 03", "W 1b 08", "W 1c 08"),
                chip.writes());
        assertEquals("R 75 x1", chip.log.get(0));
    }

    @Test
    void burstIsDecodedWithTheConfiguredScale() throws HardwareException {
        FakeMpu6050 chip = new FakeMpu6050();
        Mpu6050 imu = new Mpu6050(chip, 4, 500, 3, 0);
        imu.start(chip.pause());
        chip.forcedRaw = new int[] {-8192, 4096, 16384, 340 * 10, 655, -1310, 32767};
        chip.log.clear();
        assertTrue(imu.read());
        assertEquals(List.of("R 3b x14"), chip.log);
        assertEquals(-G, imu.accelXMps2, 1e-12);
        assertEquals(0.5 * G, imu.accelYMps2, 1e-12);
        assertEquals(2 * G, imu.accelZMps2, 1e-12);
        assertEquals(46.53, imu.temperatureC, 1e-9);
        assertEquals(Math.toRadians(10.0), imu.gyroXRadPerS, 1e-12);
        assertEquals(Math.toRadians(-20.0), imu.gyroYRadPerS, 1e-12);
        assertEquals(Math.toRadians(32767 / 65.5), imu.gyroZRadPerS, 1e-12);
    }

    @Test
    void physicalValuesComeBackWithinOneLsbAtEveryRange() throws HardwareException {
        int[] accelRanges = {2, 4, 8, 16};
        int[] gyroRanges = {250, 500, 1000, 2000};
        for (int i = 0; i < 4; i++) {
            FakeMpu6050 chip = new FakeMpu6050();
            Mpu6050 imu = new Mpu6050(chip, accelRanges[i], gyroRanges[i], 0, 0);
            imu.start(chip.pause());
            chip.accelXG = 0.3;
            chip.accelZG = -1.2;
            chip.gyroYDps = 123.4;
            assertTrue(imu.read());
            double accelLsbMps2 = accelRanges[i] * G / 32768.0;
            double gyroLsbRad = Math.toRadians(gyroRanges[i] / 32768.0) * 1.01;
            assertEquals(0.3 * G, imu.accelXMps2, accelLsbMps2, "range " + accelRanges[i]);
            assertEquals(-1.2 * G, imu.accelZMps2, accelLsbMps2, "range " + accelRanges[i]);
            assertEquals(Math.toRadians(123.4), imu.gyroYRadPerS, gyroLsbRad, "range " + gyroRanges[i]);
        }
    }

    @Test
    void gyroBiasMeasuredAtRestIsRemoved() throws HardwareException {
        FakeMpu6050 chip = new FakeMpu6050();
        Mpu6050 imu = new Mpu6050(chip, 4, 500, 3, 0);
        imu.start(chip.pause());
        chip.gyroXDps = 1.5;
        chip.gyroZDps = -0.7;
        imu.calibrateGyroBias(50, 2_000_000L, chip.pause());
        assertEquals(Math.toRadians(Math.round(1.5 * 65.5) / 65.5), imu.gyroBiasXRadPerS(), 1e-12);
        chip.gyroXDps = 11.5;
        assertTrue(imu.read());
        assertEquals(Math.toRadians(10.0), imu.gyroXRadPerS, Math.toRadians(1 / 65.5));
        assertEquals(0.0, imu.gyroZRadPerS, 1e-12);
    }

    @Test
    void wrongIdentityIsRefused() {
        FakeMpu6050 chip = new FakeMpu6050();
        chip.registers[Mpu6050.WHO_AM_I] = 0x70;
        Mpu6050 imu = new Mpu6050(chip, 4, 500, 3, 0);
        HardwareException e = assertThrows(HardwareException.class, () -> imu.start(chip.pause()));
        assertTrue(e.getMessage().contains("WHO_AM_I reads 0x70"), e.getMessage());
    }

    @Test
    void busErrorLeavesTheLastValuesAndReportsFalse() throws HardwareException {
        FakeMpu6050 chip = new FakeMpu6050();
        Mpu6050 imu = new Mpu6050(chip, 4, 500, 3, 0);
        imu.start(chip.pause());
        assertTrue(imu.read());
        double z = imu.accelZMps2;
        chip.accelZG = 0.0;
        chip.failNextReads = 1;
        assertFalse(imu.read());
        assertEquals(z, imu.accelZMps2, 0.0);
    }

    @Test
    void rejectsRangesTheChipDoesNotHave() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mpu6050(new FakeMpu6050(), 3, 500, 3, 0));
        assertTrue(e.getMessage().startsWith("imu.accelRangeG"), e.getMessage());
    }
}
