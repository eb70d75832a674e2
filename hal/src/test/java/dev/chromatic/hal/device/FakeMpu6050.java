package dev.chromatic.hal.device;

import java.util.List;

/**
 * An MPU-6050 as its register map describes it: WHO_AM_I 0x68, asleep after power-on and reset
 * (PWR_MGMT_1 = 0x40), pointer always auto-increments, measurements big-endian int16 at 0x3B..0x48
 * scaled by the configured ranges, zeros while asleep. Tests set the physical quantities.
 */
final class FakeMpu6050 extends FakeRegisterChip {

    private static final double[] ACCEL_LSB_PER_G = {16384.0, 8192.0, 4096.0, 2048.0};
    private static final double[] GYRO_LSB_PER_DPS = {131.0, 65.5, 32.8, 16.4};

    double accelXG;
    double accelYG;
    double accelZG = 1.0;
    double gyroXDps;
    double gyroYDps;
    double gyroZDps;
    double temperatureC = 25.0;
    /** Raw words forced regardless of the physical values, when non-null. */
    int[] forcedRaw;

    FakeMpu6050(int address, List<String> log) {
        super(address, log);
        powerOn();
    }

    FakeMpu6050() {
        this(0x68, new java.util.ArrayList<>());
    }

    private void powerOn() {
        java.util.Arrays.fill(registers, 0);
        registers[Mpu6050.WHO_AM_I] = 0x68;
        registers[Mpu6050.PWR_MGMT_1] = 0x40;
    }

    @Override
    boolean autoIncrement() {
        return true;
    }

    @Override
    int next(int register) {
        return (register + 1) & 0x7F;
    }

    @Override
    void store(int register, int value) {
        if (register == Mpu6050.PWR_MGMT_1 && (value & Mpu6050.PWR_DEVICE_RESET) != 0) {
            powerOn();
            return;
        }
        if (register == Mpu6050.WHO_AM_I || (register >= Mpu6050.ACCEL_XOUT_H && register < Mpu6050.ACCEL_XOUT_H + 14)) {
            return;
        }
        registers[register] = value;
    }

    @Override
    int load(int register) {
        if (register >= Mpu6050.ACCEL_XOUT_H && register < Mpu6050.ACCEL_XOUT_H + 14) {
            if ((registers[Mpu6050.PWR_MGMT_1] & Mpu6050.PWR_SLEEP) != 0) {
                return 0;
            }
            int index = (register - Mpu6050.ACCEL_XOUT_H) / 2;
            int word = rawWord(index);
            return (register - Mpu6050.ACCEL_XOUT_H) % 2 == 0 ? (word >> 8) & 0xFF : word & 0xFF;
        }
        return registers[register];
    }

    int rawWord(int index) {
        if (forcedRaw != null) {
            return forcedRaw[index];
        }
        double accelLsb = ACCEL_LSB_PER_G[(registers[Mpu6050.ACCEL_CONFIG] >> 3) & 3];
        double gyroLsb = GYRO_LSB_PER_DPS[(registers[Mpu6050.GYRO_CONFIG] >> 3) & 3];
        switch (index) {
            case 0: return clamp(accelXG * accelLsb);
            case 1: return clamp(accelYG * accelLsb);
            case 2: return clamp(accelZG * accelLsb);
            case 3: return clamp((temperatureC - 36.53) * 340.0);
            case 4: return clamp(gyroXDps * gyroLsb);
            case 5: return clamp(gyroYDps * gyroLsb);
            default: return clamp(gyroZDps * gyroLsb);
        }
    }

    private static int clamp(double v) {
        long r = Math.round(v);
        return (int) Math.max(-32768, Math.min(32767, r));
    }
}
