package dev.chromatic.hal.device;

import dev.chromatic.hal.HardwareException;

/**
 * InvenSense MPU-6050 accelerometer + gyroscope. Register map and scale factors follow the
 * register map document (rev. 4.2); every number of the chip lives in this class.
 *
 * <p>{@link #start} resets and wakes the chip (PLL on the X gyro), sets sample rate, digital
 * low-pass filter and full-scale ranges, and checks each by reading it back. {@link #read} takes
 * the 14-byte burst from ACCEL_XOUT_H (accel x,y,z, temperature, gyro x,y,z; big-endian signed)
 * and scales it into SI units, gyro bias removed. Axes: x forward, y left, z up, as mounted.
 *
 * <p>Not thread-safe: used by the control thread only.
 */
public final class Mpu6050 {

    /** Sample rate divider: rate = gyro output rate / (1 + SMPLRT_DIV). */
    public static final int SMPLRT_DIV = 0x19;
    /** CONFIG: DLPF_CFG in bits 2:0. */
    public static final int CONFIG = 0x1A;
    /** GYRO_CONFIG: FS_SEL in bits 4:3. */
    public static final int GYRO_CONFIG = 0x1B;
    /** ACCEL_CONFIG: AFS_SEL in bits 4:3. */
    public static final int ACCEL_CONFIG = 0x1C;
    /** First of the 14 measurement registers. */
    public static final int ACCEL_XOUT_H = 0x3B;
    /** Power management 1: DEVICE_RESET, SLEEP, CLKSEL. */
    public static final int PWR_MGMT_1 = 0x6B;
    /** WHO_AM_I: the upper six bits of the address, 0x68. */
    public static final int WHO_AM_I = 0x75;

    /** PWR_MGMT_1: reset every register to its default. */
    public static final int PWR_DEVICE_RESET = 0x80;
    /** PWR_MGMT_1: sleep (the power-on default). */
    public static final int PWR_SLEEP = 0x40;
    /** PWR_MGMT_1: clock from the PLL with the X-axis gyroscope reference. */
    public static final int PWR_CLKSEL_PLL_XGYRO = 0x01;
    /** WHO_AM_I value of a genuine MPU-6050. */
    public static final int WHO_AM_I_VALUE = 0x68;
    /** Bytes of one measurement burst. */
    public static final int BURST_BYTES = 14;
    /** Wait after DEVICE_RESET before the chip accepts writes. */
    public static final long RESET_NS = 100_000_000L;

    /** Standard gravity, to convert g to m/s^2. */
    public static final double STANDARD_GRAVITY_MPS2 = 9.80665;

    /** Accelerometer ranges by AFS_SEL: +-2, 4, 8, 16 g. */
    private static final int[] ACCEL_RANGE_G = {2, 4, 8, 16};
    /** LSB per g by AFS_SEL. */
    private static final double[] ACCEL_LSB_PER_G = {16384.0, 8192.0, 4096.0, 2048.0};
    /** Gyroscope ranges by FS_SEL: +-250, 500, 1000, 2000 deg/s. */
    private static final int[] GYRO_RANGE_DPS = {250, 500, 1000, 2000};
    /** LSB per deg/s by FS_SEL. */
    private static final double[] GYRO_LSB_PER_DPS = {131.0, 65.5, 32.8, 16.4};

    private final I2cDevice device;
    private final int accelSelect;
    private final int gyroSelect;
    private final int dlpfConfig;
    private final int sampleRateDivider;
    private final double accelMps2PerLsb;
    private final double gyroRadPerSPerLsb;
    private final byte[] raw = new byte[BURST_BYTES];
    private final byte[] one = new byte[1];
    private double gyroBiasXRadPerS;
    private double gyroBiasYRadPerS;
    private double gyroBiasZRadPerS;

    /** Scaled output of the last good {@link #read}. */
    public double accelXMps2;
    public double accelYMps2;
    public double accelZMps2;
    public double gyroXRadPerS;
    public double gyroYRadPerS;
    public double gyroZRadPerS;
    public double temperatureC;

    /**
     * {@code accelRangeG} in {2, 4, 8, 16}, {@code gyroRangeDps} in {250, 500, 1000, 2000},
     * {@code dlpfConfig} 0..6 (e.g. 3: 44 Hz accel / 42 Hz gyro bandwidth), sample rate divider 0..255.
     */
    public Mpu6050(I2cDevice device, int accelRangeG, int gyroRangeDps, int dlpfConfig, int sampleRateDivider) {
        this.device = device;
        this.accelSelect = indexOf(ACCEL_RANGE_G, accelRangeG, "imu.accelRangeG", "2, 4, 8 or 16");
        this.gyroSelect = indexOf(GYRO_RANGE_DPS, gyroRangeDps, "imu.gyroRangeDps", "250, 500, 1000 or 2000");
        if (dlpfConfig < 0 || dlpfConfig > 6) {
            throw new IllegalArgumentException("imu.dlpf must be 0..6, was " + dlpfConfig);
        }
        if (sampleRateDivider < 0 || sampleRateDivider > 255) {
            throw new IllegalArgumentException("imu.sampleRateDivider must be 0..255, was " + sampleRateDivider);
        }
        this.dlpfConfig = dlpfConfig;
        this.sampleRateDivider = sampleRateDivider;
        this.accelMps2PerLsb = STANDARD_GRAVITY_MPS2 / ACCEL_LSB_PER_G[accelSelect];
        this.gyroRadPerSPerLsb = Math.toRadians(1.0) / GYRO_LSB_PER_DPS[gyroSelect];
    }

    private static int indexOf(int[] values, int value, String key, String allowed) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException(key + " must be " + allowed + ", was " + value);
    }

    /**
     * Checks WHO_AM_I, resets, wakes with the PLL clock, configures and reads every setting back.
     */
    public void start(Pause pause) throws HardwareException {
        int who = readRegisterOrFail(WHO_AM_I);
        if (who != WHO_AM_I_VALUE) {
            throw new HardwareException("MPU-6050 at 0x" + Integer.toHexString(device.address())
                    + ": WHO_AM_I reads 0x" + Integer.toHexString(who) + ", expected 0x68");
        }
        writeRegisterOrFail(PWR_MGMT_1, PWR_DEVICE_RESET);
        pause.pauseNs(RESET_NS);
        writeAndCheck(PWR_MGMT_1, PWR_CLKSEL_PLL_XGYRO);
        writeAndCheck(SMPLRT_DIV, sampleRateDivider);
        writeAndCheck(CONFIG, dlpfConfig);
        writeAndCheck(GYRO_CONFIG, gyroSelect << 3);
        writeAndCheck(ACCEL_CONFIG, accelSelect << 3);
    }

    /**
     * Averages {@code samples} gyro readings taken {@code intervalNs} apart while the robot stands
     * still and keeps them as the gyro bias. Fails on a bus error.
     */
    public void calibrateGyroBias(int samples, long intervalNs, Pause pause) throws HardwareException {
        if (samples <= 0) {
            throw new IllegalArgumentException("imu.gyroBiasSamples must be > 0, was " + samples);
        }
        gyroBiasXRadPerS = 0;
        gyroBiasYRadPerS = 0;
        gyroBiasZRadPerS = 0;
        double sumX = 0;
        double sumY = 0;
        double sumZ = 0;
        for (int i = 0; i < samples; i++) {
            if (!read()) {
                throw new HardwareException("MPU-6050 at 0x" + Integer.toHexString(device.address())
                        + ": bus error during gyro calibration");
            }
            sumX += gyroXRadPerS;
            sumY += gyroYRadPerS;
            sumZ += gyroZRadPerS;
            pause.pauseNs(intervalNs);
        }
        gyroBiasXRadPerS = sumX / samples;
        gyroBiasYRadPerS = sumY / samples;
        gyroBiasZRadPerS = sumZ / samples;
    }

    /**
     * Reads one 14-byte burst and scales it: {@code a = raw * g / LSB_per_g},
     * {@code w = raw * (pi/180) / LSB_per_dps - bias}, {@code T = raw / 340 + 36.53} deg C.
     * Returns false (fields untouched) on a bus error. No allocation.
     */
    public boolean read() {
        if (device.read(ACCEL_XOUT_H, raw, 0, BURST_BYTES) != BURST_BYTES) {
            return false;
        }
        accelXMps2 = word(0) * accelMps2PerLsb;
        accelYMps2 = word(2) * accelMps2PerLsb;
        accelZMps2 = word(4) * accelMps2PerLsb;
        temperatureC = word(6) / 340.0 + 36.53;
        gyroXRadPerS = word(8) * gyroRadPerSPerLsb - gyroBiasXRadPerS;
        gyroYRadPerS = word(10) * gyroRadPerSPerLsb - gyroBiasYRadPerS;
        gyroZRadPerS = word(12) * gyroRadPerSPerLsb - gyroBiasZRadPerS;
        return true;
    }

    public double gyroBiasXRadPerS() {
        return gyroBiasXRadPerS;
    }

    public double gyroBiasYRadPerS() {
        return gyroBiasYRadPerS;
    }

    public double gyroBiasZRadPerS() {
        return gyroBiasZRadPerS;
    }

    /** Puts the chip to sleep. Best effort. */
    public void sleep() {
        one[0] = (byte) PWR_SLEEP;
        device.write(PWR_MGMT_1, one, 0, 1);
    }

    private int word(int offset) {
        return (short) (((raw[offset] & 0xFF) << 8) | (raw[offset + 1] & 0xFF));
    }

    private void writeAndCheck(int register, int value) throws HardwareException {
        writeRegisterOrFail(register, value);
        int readBack = readRegisterOrFail(register);
        if (readBack != value) {
            throw new HardwareException("MPU-6050 at 0x" + Integer.toHexString(device.address())
                    + ": register 0x" + Integer.toHexString(register) + " reads 0x" + Integer.toHexString(readBack)
                    + " after writing 0x" + Integer.toHexString(value));
        }
    }

    private void writeRegisterOrFail(int register, int value) throws HardwareException {
        one[0] = (byte) value;
        if (device.write(register, one, 0, 1) != 1) {
            throw new HardwareException("MPU-6050 at 0x" + Integer.toHexString(device.address())
                    + " does not answer (writing register 0x" + Integer.toHexString(register) + ")");
        }
    }

    private int readRegisterOrFail(int register) throws HardwareException {
        if (device.read(register, one, 0, 1) != 1) {
            throw new HardwareException("MPU-6050 at 0x" + Integer.toHexString(device.address())
                    + " does not answer (reading register 0x" + Integer.toHexString(register) + ")");
        }
        return one[0] & 0xFF;
    }
}
