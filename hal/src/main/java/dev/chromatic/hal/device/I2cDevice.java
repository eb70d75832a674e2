package dev.chromatic.hal.device;

/**
 * One chip on an I2C bus, spoken to by register: a write sends the register address then the
 * data in one transaction; a read sets the register pointer then reads. Whether the chip moves
 * its pointer on (auto-increment) is the chip's business. Methods never throw: they return the
 * number of bytes moved, or a negative number when the bus reported an error.
 */
public interface I2cDevice extends AutoCloseable {

    /** The 7-bit address of the chip. */
    int address();

    /** Writes {@code length} bytes of {@code data} from {@code offset}, starting at {@code register}. */
    int write(int register, byte[] data, int offset, int length);

    /** Reads {@code length} bytes into {@code data} at {@code offset}, starting at {@code register}. */
    int read(int register, byte[] data, int offset, int length);

    /** Releases the bus handle. */
    @Override
    void close();
}
