package dev.chromatic.hal.device;

import dev.chromatic.hal.HardwareException;

/**
 * NXP PCA9685 16-channel 12-bit PWM driver running hobby servos. Register map and bit names
 * follow the datasheet (rev. 4); every number of the chip lives in this class.
 *
 * <p>Set-up ({@link #start}) writes the prescale only while the chip sleeps, as the datasheet
 * requires, then wakes it with the documented restart sequence. Each cycle {@link #writePulses}
 * sends all servo channels in one auto-incrementing burst from a preallocated buffer.
 *
 * <p>Not thread-safe: used by the control thread only.
 */
public final class Pca9685 {

    /** Mode register 1. */
    public static final int MODE1 = 0x00;
    /** Mode register 2. */
    public static final int MODE2 = 0x01;
    /** First register of channel 0: LED0_ON_L; channel n starts at {@code LED0_ON_L + 4n}. */
    public static final int LED0_ON_L = 0x06;
    /** Registers per channel: ON_L, ON_H, OFF_L, OFF_H. */
    public static final int REGISTERS_PER_CHANNEL = 4;
    /** ALL_LED_ON_L: writes to all 16 channels at once. */
    public static final int ALL_LED_ON_L = 0xFA;
    /** ALL_LED_OFF_H. */
    public static final int ALL_LED_OFF_H = 0xFD;
    /** Prescaler for the PWM output frequency; writable only in sleep. */
    public static final int PRE_SCALE = 0xFE;

    /** MODE1: restart enabled (reads 1 after sleep with PWM running; write 1 to clear and restart). */
    public static final int MODE1_RESTART = 0x80;
    /** MODE1: use the EXTCLK pin. */
    public static final int MODE1_EXTCLK = 0x40;
    /** MODE1: register auto-increment. */
    public static final int MODE1_AI = 0x20;
    /** MODE1: low-power mode, oscillator off. */
    public static final int MODE1_SLEEP = 0x10;
    /** MODE1: respond to the All Call address. */
    public static final int MODE1_ALLCALL = 0x01;
    /** MODE2: totem-pole outputs (servo signal lines). */
    public static final int MODE2_OUTDRV = 0x04;
    /** Bit 4 of LEDn_ON_H / LEDn_OFF_H: channel fully on / fully off. */
    public static final int LED_FULL = 0x10;

    /** Channels on the chip. */
    public static final int CHANNELS = 16;
    /** Counter steps per PWM period. */
    public static final int COUNTER_STEPS = 4096;
    /** Nominal internal oscillator; real chips run 23-27 MHz, hence {@code oscillatorHz} calibration. */
    public static final double INTERNAL_OSCILLATOR_HZ = 25_000_000.0;
    /** Smallest prescale the chip accepts (1526 Hz). */
    public static final int PRESCALE_MIN = 3;
    /** Largest prescale (24 Hz). */
    public static final int PRESCALE_MAX = 255;
    /** Oscillator start-up time after SLEEP is cleared. */
    public static final long OSCILLATOR_STARTUP_NS = 500_000L;

    private final I2cDevice device;
    private final double oscillatorHz;
    private final int firstChannel;
    private final int channelCount;
    private final byte[] burst;
    private final byte[] one = new byte[1];
    private int prescale;
    private double microsecondsPerTick;

    /**
     * A driver for {@code channelCount} consecutive channels starting at {@code firstChannel}.
     * {@code oscillatorHz} is the calibrated oscillator frequency (25 MHz nominal).
     */
    public Pca9685(I2cDevice device, double oscillatorHz, int firstChannel, int channelCount) {
        if (!(oscillatorHz >= 20e6 && oscillatorHz <= 30e6)) {
            throw new IllegalArgumentException("pca9685.oscillatorHz must lie in 20e6..30e6, was " + oscillatorHz);
        }
        if (firstChannel < 0 || channelCount <= 0 || firstChannel + channelCount > CHANNELS) {
            throw new IllegalArgumentException("channels " + firstChannel + ".." + (firstChannel + channelCount - 1)
                    + " do not fit the 16 channels of a PCA9685");
        }
        this.device = device;
        this.oscillatorHz = oscillatorHz;
        this.firstChannel = firstChannel;
        this.channelCount = channelCount;
        this.burst = new byte[channelCount * REGISTERS_PER_CHANNEL];
    }

    /**
     * Prescale for an output rate: {@code prescale = round(osc / (4096 * rate)) - 1}
     * (datasheet eq. 1); 50 Hz at 25 MHz gives 121.
     */
    public static int prescaleFor(double oscillatorHz, double pwmRateHz) {
        long value = Math.round(oscillatorHz / (COUNTER_STEPS * pwmRateHz)) - 1;
        if (value < PRESCALE_MIN || value > PRESCALE_MAX) {
            throw new IllegalArgumentException("servo rate " + pwmRateHz + " Hz needs prescale " + value
                    + ", outside " + PRESCALE_MIN + ".." + PRESCALE_MAX);
        }
        return (int) value;
    }

    /**
     * The oscillator frequency that explains a measured pulse: a pulse commanded as
     * {@code commandedUs} with the assumed {@code oscillatorHz} lasted {@code measuredUs} on a scope,
     * so the true frequency is {@code oscillatorHz * commandedUs / measuredUs}.
     */
    public static double calibratedOscillatorHz(double oscillatorHz, double commandedUs, double measuredUs) {
        if (!(commandedUs > 0 && measuredUs > 0)) {
            throw new IllegalArgumentException("pulse widths must be > 0 us");
        }
        return oscillatorHz * commandedUs / measuredUs;
    }

    /**
     * Sets the output rate and starts the PWM: outputs totem-pole; MODE1 read; sleep; PRE_SCALE
     * written (blocked by the chip unless asleep); wake with auto-increment; wait 500 us for the
     * oscillator; if RESTART reads 1, write it 1 to restart the channels. All outputs start fully
     * off. Fails when the chip does not answer or the prescale does not read back.
     */
    public void start(double servoRateHz, Pause pause) throws HardwareException {
        prescale = prescaleFor(oscillatorHz, servoRateHz);
        microsecondsPerTick = (prescale + 1) * 1e6 / oscillatorHz;
        writeRegisterOrFail(MODE2, MODE2_OUTDRV);
        int mode1 = readRegisterOrFail(MODE1);
        int asleep = (mode1 & ~MODE1_RESTART) | MODE1_SLEEP;
        writeRegisterOrFail(MODE1, asleep);
        writeRegisterOrFail(PRE_SCALE, prescale);
        int awake = (asleep & ~MODE1_SLEEP & ~MODE1_EXTCLK) | MODE1_AI | MODE1_ALLCALL;
        writeRegisterOrFail(MODE1, awake);
        pause.pauseNs(OSCILLATOR_STARTUP_NS);
        int now = readRegisterOrFail(MODE1);
        if ((now & MODE1_RESTART) != 0) {
            writeRegisterOrFail(MODE1, now | MODE1_RESTART);
        }
        int readBack = readRegisterOrFail(PRE_SCALE);
        if (readBack != prescale) {
            throw new HardwareException("PCA9685 at 0x" + Integer.toHexString(device.address())
                    + ": PRE_SCALE reads " + readBack + " after writing " + prescale);
        }
        if (!allOff()) {
            throw new HardwareException("PCA9685 at 0x" + Integer.toHexString(device.address())
                    + ": cannot switch the outputs off");
        }
    }

    /** The prescale in use (valid after {@link #start}). */
    public int prescale() {
        return prescale;
    }

    /** Length of one counter tick in microseconds: {@code (prescale + 1) / osc}. */
    public double microsecondsPerTick() {
        return microsecondsPerTick;
    }

    /** Counter value at which a pulse of {@code pulseUs} ends (ON at 0): {@code round(pulseUs / tick)}. */
    public int ticksFor(double pulseUs) {
        long ticks = Math.round(pulseUs / microsecondsPerTick);
        return (int) Math.max(0, Math.min(COUNTER_STEPS - 1, ticks));
    }

    /**
     * Sends one pulse width per channel (index 0 = {@code firstChannel}) in a single burst; a
     * negative width switches that channel fully off. Returns false on a bus error. No allocation.
     */
    public boolean writePulses(double[] pulseUs) {
        for (int i = 0; i < channelCount; i++) {
            int base = i * REGISTERS_PER_CHANNEL;
            burst[base] = 0;
            burst[base + 1] = 0;
            if (pulseUs[i] < 0) {
                burst[base + 2] = 0;
                burst[base + 3] = (byte) LED_FULL;
            } else {
                int off = ticksFor(pulseUs[i]);
                burst[base + 2] = (byte) (off & 0xFF);
                burst[base + 3] = (byte) ((off >> 8) & 0x0F);
            }
        }
        return device.write(LED0_ON_L + firstChannel * REGISTERS_PER_CHANNEL, burst, 0, burst.length) == burst.length;
    }

    /** Switches every channel of the chip fully off (servos go limp). Returns false on a bus error. */
    public boolean allOff() {
        burst[0] = 0;
        burst[1] = 0;
        burst[2] = 0;
        burst[3] = (byte) LED_FULL;
        return device.write(ALL_LED_ON_L, burst, 0, 4) == 4;
    }

    private void writeRegisterOrFail(int register, int value) throws HardwareException {
        one[0] = (byte) value;
        if (device.write(register, one, 0, 1) != 1) {
            throw new HardwareException("PCA9685 at 0x" + Integer.toHexString(device.address())
                    + " does not answer (writing register 0x" + Integer.toHexString(register) + ")");
        }
    }

    private int readRegisterOrFail(int register) throws HardwareException {
        if (device.read(register, one, 0, 1) != 1) {
            throw new HardwareException("PCA9685 at 0x" + Integer.toHexString(device.address())
                    + " does not answer (reading register 0x" + Integer.toHexString(register) + ")");
        }
        return one[0] & 0xFF;
    }
}
