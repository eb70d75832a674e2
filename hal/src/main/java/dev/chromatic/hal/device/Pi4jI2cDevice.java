package dev.chromatic.hal.device;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;

/**
 * {@link I2cDevice} over a Pi4J {@link I2C} (LinuxFS provider on the robot: {@code /dev/i2c-N}).
 * Pi4J's runtime exceptions become negative results so the control loop never sees one.
 */
public final class Pi4jI2cDevice implements I2cDevice {

    private final I2C i2c;
    private final int address;

    private Pi4jI2cDevice(I2C i2c, int address) {
        this.i2c = i2c;
        this.address = address;
    }

    /** Opens {@code address} on {@code bus} with the context's I2C provider, under the Pi4J id {@code id}. */
    public static Pi4jI2cDevice open(Context pi4j, String id, int bus, int address) {
        I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id(id).name(id).bus(bus).device(address).build());
        return new Pi4jI2cDevice(i2c, address);
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public int write(int register, byte[] data, int offset, int length) {
        try {
            return i2c.writeRegister(register, data, offset, length);
        } catch (RuntimeException busError) {
            return -1;
        }
    }

    @Override
    public int read(int register, byte[] data, int offset, int length) {
        try {
            return i2c.readRegister(register, data, offset, length);
        } catch (RuntimeException busError) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            i2c.close();
        } catch (RuntimeException ignored) {
            // the context shutdown releases it anyway
        }
    }
}
