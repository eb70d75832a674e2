package dev.chromatic.hal.device;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import dev.chromatic.hal.HardwareException;

/**
 * The PCA9685 alone, started at the servo rate with every output off: what the calibration
 * walk-through drives. Closing switches every output off and releases the bus.
 */
public final class ServoBoard implements AutoCloseable {

    private final I2cDevice device;
    private final Pca9685 pca;
    private final Context pi4j;
    private boolean closed;

    /** Wraps a started-or-not board on {@code device}; {@code pi4j} (may be null) is shut down on close. */
    public ServoBoard(I2cDevice device, Calibration calibration, int channelCount, Context pi4j) {
        this.device = device;
        this.pca = new Pca9685(device, calibration.oscillatorHz(), calibration.firstChannel(), channelCount);
        this.pi4j = pi4j;
    }

    /** Opens the board of {@code config} on the robot's I2C bus through Pi4J's LinuxFS provider and starts it. */
    public static ServoBoard open(DeviceConfig config, Calibration calibration, int channelCount) throws HardwareException {
        Context context;
        try {
            context = Pi4J.newContextBuilder().noAutoDetect()
                    .add(com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider.newInstance()).build();
        } catch (RuntimeException e) {
            throw new HardwareException("cannot start Pi4J: " + e.getMessage(), e);
        }
        ServoBoard board;
        try {
            I2cDevice device = Pi4jI2cDevice.open(context, "chromatic-pca9685", config.i2cBus, config.pca9685Address);
            board = new ServoBoard(device, calibration, channelCount, context);
        } catch (RuntimeException e) {
            context.shutdown();
            throw new HardwareException("cannot open I2C bus " + config.i2cBus + " (is I2C enabled? see docs/robot-build.md): "
                    + e.getMessage(), e);
        }
        try {
            board.start(config.servoRateHz, Pause.parking());
        } catch (HardwareException e) {
            board.close();
            throw e;
        }
        return board;
    }

    /** Sets the servo rate with every output off. */
    public void start(double servoRateHz, Pause pause) throws HardwareException {
        pca.start(servoRateHz, pause);
    }

    public Pca9685 pca() {
        return pca;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pca.allOff();
        device.close();
        if (pi4j != null) {
            try {
                pi4j.shutdown();
            } catch (RuntimeException ignored) {
                // best effort at exit
            }
        }
    }
}
