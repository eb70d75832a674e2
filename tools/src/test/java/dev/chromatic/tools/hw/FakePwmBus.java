package dev.chromatic.tools.hw;

import dev.chromatic.hal.device.I2cDevice;
import dev.chromatic.hal.device.Pca9685;
import java.util.ArrayList;
import java.util.List;

/**
 * A PCA9685 register file (auto-increment once MODE1.AI is set, PRE_SCALE stored only in sleep)
 * that keeps a snapshot of the 16 channel OFF counters after every burst.
 */
final class FakePwmBus implements I2cDevice {

    final int[] registers = new int[256];
    final List<int[]> snapshots = new ArrayList<>();

    FakePwmBus() {
        registers[Pca9685.MODE1] = 0x11;
        for (int ch = 0; ch < 16; ch++) {
            registers[Pca9685.LED0_ON_L + 4 * ch + 3] = Pca9685.LED_FULL;
        }
    }

    @Override
    public int address() {
        return 0x40;
    }

    @Override
    public int write(int register, byte[] data, int offset, int length) {
        int r = register;
        boolean ai = (registers[Pca9685.MODE1] & Pca9685.MODE1_AI) != 0;
        for (int i = 0; i < length; i++) {
            int v = data[offset + i] & 0xFF;
            if (r == Pca9685.PRE_SCALE && (registers[Pca9685.MODE1] & Pca9685.MODE1_SLEEP) == 0) {
                continue;
            }
            if (r >= Pca9685.ALL_LED_ON_L && r <= Pca9685.ALL_LED_OFF_H) {
                for (int ch = 0; ch < 16; ch++) {
                    registers[Pca9685.LED0_ON_L + 4 * ch + (r - Pca9685.ALL_LED_ON_L)] = v;
                }
            } else {
                registers[r] = r == Pca9685.MODE1 ? v & ~Pca9685.MODE1_RESTART : v;
            }
            if (ai) {
                r++;
            }
        }
        if (length > 1) {
            int[] snap = new int[16];
            for (int ch = 0; ch < 16; ch++) {
                snap[ch] = offTicks(ch);
            }
            snapshots.add(snap);
        }
        return length;
    }

    @Override
    public int read(int register, byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            data[offset + i] = (byte) registers[register + i];
        }
        return length;
    }

    int offTicks(int channel) {
        int base = Pca9685.LED0_ON_L + 4 * channel;
        if ((registers[base + 3] & Pca9685.LED_FULL) != 0) {
            return -1;
        }
        return registers[base + 2] | ((registers[base + 3] & 0x0F) << 8);
    }

    @Override
    public void close() {
    }
}
