package dev.chromatic.hal.device;

import java.util.List;

/**
 * A PCA9685 as its datasheet describes it: power-on MODE1 = 0x11 (asleep, All Call), outputs
 * fully off; auto-increment only with MODE1.AI; PRE_SCALE writes ignored unless SLEEP is set;
 * entering sleep with a channel running sets RESTART; writing RESTART = 1 clears it (and is
 * recorded as too early when the oscillator has not run 500 us since waking).
 */
final class FakePca9685 extends FakeRegisterChip {

    int ignoredPrescaleWrites;
    boolean restartTooEarly;
    int restarts;
    private long nsSinceWake = Long.MAX_VALUE / 2;

    FakePca9685(int address, List<String> log) {
        super(address, log);
        registers[Pca9685.MODE1] = 0x11;
        registers[Pca9685.MODE2] = 0x04;
        registers[Pca9685.PRE_SCALE] = 0x1E;
        for (int ch = 0; ch < 16; ch++) {
            registers[Pca9685.LED0_ON_L + 4 * ch + 3] = Pca9685.LED_FULL;
        }
    }

    FakePca9685() {
        this(0x40, new java.util.ArrayList<>());
    }

    /** Makes the chip look like it was left running by a previous program. */
    void runningWithChannel(int channel, int offTicks) {
        registers[Pca9685.MODE1] = Pca9685.MODE1_AI | Pca9685.MODE1_ALLCALL;
        int base = Pca9685.LED0_ON_L + 4 * channel;
        registers[base] = 0;
        registers[base + 1] = 0;
        registers[base + 2] = offTicks & 0xFF;
        registers[base + 3] = (offTicks >> 8) & 0x0F;
    }

    @Override
    void paused(long ns) {
        nsSinceWake += ns;
    }

    @Override
    boolean autoIncrement() {
        return (registers[Pca9685.MODE1] & Pca9685.MODE1_AI) != 0;
    }

    @Override
    int next(int register) {
        if (register == 0x45) {
            return 0x00;
        }
        return (register + 1) & 0xFF;
    }

    @Override
    void store(int register, int value) {
        if (register == Pca9685.PRE_SCALE) {
            if ((registers[Pca9685.MODE1] & Pca9685.MODE1_SLEEP) == 0) {
                ignoredPrescaleWrites++;
                return;
            }
            registers[register] = value;
            return;
        }
        if (register == Pca9685.ALL_LED_ON_L || register == Pca9685.ALL_LED_ON_L + 1
                || register == Pca9685.ALL_LED_ON_L + 2 || register == Pca9685.ALL_LED_OFF_H) {
            int offset = register - Pca9685.ALL_LED_ON_L;
            for (int ch = 0; ch < 16; ch++) {
                registers[Pca9685.LED0_ON_L + 4 * ch + offset] = value;
            }
            return;
        }
        if (register == Pca9685.MODE1) {
            int old = registers[Pca9685.MODE1];
            boolean wasAsleep = (old & Pca9685.MODE1_SLEEP) != 0;
            boolean asleep = (value & Pca9685.MODE1_SLEEP) != 0;
            int restart = old & Pca9685.MODE1_RESTART;
            if (!wasAsleep && asleep && anyChannelRunning()) {
                restart = Pca9685.MODE1_RESTART;
            }
            if (wasAsleep && !asleep) {
                nsSinceWake = 0;
            }
            if ((value & Pca9685.MODE1_RESTART) != 0 && restart != 0) {
                if (asleep || nsSinceWake < Pca9685.OSCILLATOR_STARTUP_NS) {
                    restartTooEarly = true;
                }
                restart = 0;
                restarts++;
            }
            registers[Pca9685.MODE1] = (value & ~Pca9685.MODE1_RESTART) | restart;
            return;
        }
        registers[register] = value;
    }

    @Override
    int load(int register) {
        return registers[register];
    }

    private boolean anyChannelRunning() {
        for (int ch = 0; ch < 16; ch++) {
            int base = Pca9685.LED0_ON_L + 4 * ch;
            boolean fullOff = (registers[base + 3] & Pca9685.LED_FULL) != 0;
            int off = registers[base + 2] | ((registers[base + 3] & 0x0F) << 8);
            if (!fullOff && off != 0) {
                return true;
            }
        }
        return false;
    }

    /** OFF counter of a channel, or -1 when the channel is fully off. */
    int offTicks(int channel) {
        int base = Pca9685.LED0_ON_L + 4 * channel;
        if ((registers[base + 3] & Pca9685.LED_FULL) != 0) {
            return -1;
        }
        return registers[base + 2] | ((registers[base + 3] & 0x0F) << 8);
    }

    boolean asleep() {
        return (registers[Pca9685.MODE1] & Pca9685.MODE1_SLEEP) != 0;
    }
}
