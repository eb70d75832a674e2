package dev.chromatic.hal.device;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real robot ({@code hal=device}): 8 hobby servos on a PCA9685 and an MPU-6050 on one I2C
 * bus, plus an optional E-stop button on a GPIO input, through Pi4J (LinuxFS I2C, GpioD GPIO).
 *
 * <p>Servos have no encoders: motor angles in the frame echo the last commanded (clamped) angle
 * and {@code VALID_MOTOR_*} stay clear. An I2C error while reading the IMU clears the IMU flags of
 * that frame; three in a row latch the IMU fault and every later frame has {@code validMask = 0}
 * until restart. Three failed PWM writes in a row latch the same way. While the E-stop is pressed,
 * or in DAMP or OFF mode, every servo output is switched fully off (limp).
 *
 * <p>With the PCA9685's OE input wired ({@code device.oe_pin}, {@link OutputEnable}) the outputs
 * are also cut in hardware whenever the motors must not be driven: OE is held high from
 * {@link #open} on, driven low only after a {@link #write} of a position command has put that
 * command's pulses into the chip (the chip was started with every channel off), and driven high
 * again, before the registers are touched, by any command that does not drive (disarmed, the
 * latched safe state's damping, OFF), a pressed E-stop, a latched PWM fault and {@link #close}.
 * An OE line that cannot be set latches a fault like the PWM one (every later frame invalid).
 *
 * <p>{@link #read} and {@link #write} never throw and allocate nothing. Not thread-safe.
 */
public final class DeviceHardware implements Hardware {

    /** Consecutive bus errors that latch a fault. */
    public static final int ERRORS_TO_LATCH = 3;
    /** Interval between gyro bias samples at start. */
    public static final long GYRO_BIAS_INTERVAL_NS = 2_000_000L;

    private final RobotSpec spec;
    private final DeviceConfig config;
    private final Calibration calibration;
    private final I2cDevice pwmBus;
    private final I2cDevice imuBus;
    private final EstopInput estop;
    private ResetInput resetInput = ResetInput.none();
    private OutputEnable outputEnable = OutputEnable.none();
    private final NanoClock clock;
    private final Pause pause;
    private final Context pi4j;
    private final Pca9685 pca;
    private final Mpu6050 imu;
    private final AttitudeFilter filter;
    private final double[] pulseUs;
    private final double[] commandedRad;

    private boolean started;
    private boolean closed;
    private long reads;
    private long lastImuNs;
    private boolean estopPressed;
    private int consecutiveImuErrors;
    private int consecutivePwmErrors;
    private boolean imuFaultLatched;
    private boolean pwmFaultLatched;
    private boolean oeFaultLatched;
    /** What the OE line was last set to (true: outputs enabled, OE low). */
    private boolean outputsEnabled;
    private long imuErrors;
    private long pwmErrors;
    private long oeErrors;

    /**
     * Wires the backend from parts; {@code pi4j} (may be null) is shut down by {@link #close()}.
     * Tests pass fake chips here.
     */
    public DeviceHardware(RobotSpec spec, DeviceConfig config, Calibration calibration, I2cDevice pwmBus,
                          I2cDevice imuBus, EstopInput estop, NanoClock clock, Pause pause, Context pi4j) {
        if (!calibration.robot().equals(spec.name())) {
            throw new IllegalArgumentException("calibration is for robot '" + calibration.robot() + "', not '"
                    + spec.name() + "'");
        }
        this.spec = spec;
        this.config = config;
        this.calibration = calibration;
        this.pwmBus = pwmBus;
        this.imuBus = imuBus;
        this.estop = estop;
        this.clock = clock;
        this.pause = pause;
        this.pi4j = pi4j;
        this.pca = new Pca9685(pwmBus, calibration.oscillatorHz(), calibration.firstChannel(), spec.motorCount());
        this.imu = new Mpu6050(imuBus, config.accelRangeG, config.gyroRangeDps, config.dlpf, config.sampleRateDivider);
        this.filter = new AttitudeFilter(config.filterTimeConstantS);
        this.pulseUs = new double[spec.motorCount()];
        this.commandedRad = new double[spec.motorCount()];
        spec.standingPose(commandedRad);
    }

    /** Wires the local reset button (tests use a fake; {@link #open} wires {@code device.reset_pin}). */
    public void setResetInput(ResetInput input) {
        this.resetInput = input == null ? ResetInput.none() : input;
    }

    /**
     * Wires the PCA9685's OE line (tests use a fake; {@link #open} wires {@code device.oe_pin}) and
     * drives it high (outputs disabled) at once.
     */
    public void setOutputEnable(OutputEnable oe) {
        this.outputEnable = oe == null ? OutputEnable.none() : oe;
        outputsEnabled = true; // unknown: force the disable below
        setOutputs(false);
    }

    /**
     * The robot's backend on Raspberry Pi OS: loads the calibration file, builds a Pi4J context
     * with the LinuxFS I2C provider (and GpioD when an E-stop pin is set) and opens the chips for
     * the robot {@code spec} (robot.properties {@code robot.model}; the calibration file must be for
     * the same robot). Not started: {@link #start()} wakes and checks them.
     */
    public static DeviceHardware open(DeviceConfig config, RobotSpec spec) throws HardwareException {
        if (config.oePin >= 0) {
            requireReleasedOutputsRevert(Path.of("/sys/module"));
        }
        ContextBuilder builder = Pi4J.newContextBuilder().noAutoDetect().add(LinuxFsI2CProvider.newInstance());
        if (config.estopPin >= 0 || config.resetPin >= 0) {
            builder.add(GpioDDigitalInputProvider.newInstance());
        }
        if (config.oePin >= 0) {
            builder.add(GpioDDigitalOutputProvider.newInstance());
        }
        Context pi4j;
        try {
            pi4j = builder.build();
        } catch (RuntimeException e) {
            throw new HardwareException("cannot start Pi4J: " + e.getMessage(), e);
        }
        return open(config, spec, pi4j, NanoClock.system(), Pause.parking());
    }

    /** Kernel GPIO drivers whose {@code persist_gpio_outputs} parameter keeps a released output driven. */
    private static final String[] GPIO_DRIVERS = {"pinctrl_bcm2835", "pinctrl_rp1"};

    /**
     * Refuses to start when the kernel keeps a released GPIO output at its last level (Raspberry Pi
     * kernels do by default): then a process that dies with OE driven low leaves the outputs
     * enabled, and the pull-up that should disable them never gets the line. {@code sysModule} is
     * {@code /sys/module} on the robot.
     */
    static void requireReleasedOutputsRevert(Path sysModule) throws HardwareException {
        for (String driver : GPIO_DRIVERS) {
            Path param = sysModule.resolve(driver).resolve("parameters").resolve("persist_gpio_outputs");
            String value;
            try {
                value = Files.readString(param).trim();
            } catch (IOException e) {
                continue; // no such driver or parameter: released lines revert to inputs
            }
            if (value.equals("Y") || value.equals("1")) {
                throw new HardwareException("device.oe_pin: the kernel keeps released GPIO outputs driven ("
                        + driver + ".persist_gpio_outputs=" + value + "), so a dead process would leave the servo"
                        + " outputs enabled; add dtparam=strict_gpiod to /boot/firmware/config.txt (or " + driver
                        + ".persist_gpio_outputs=n to the kernel command line) and reboot (docs/robot-build.md)");
            }
        }
    }

    /** As {@link #open(DeviceConfig)} with a given Pi4J context (e.g. the mock plugin), spec and clock. */
    public static DeviceHardware open(DeviceConfig config, RobotSpec spec, Context pi4j, NanoClock clock, Pause pause)
            throws HardwareException {
        Calibration calibration;
        try {
            if (!Files.isRegularFile(config.calibrationFile)) {
                throw new HardwareException("device.calibration: no calibration file at " + config.calibrationFile
                        + " (run `chromatic calibrate`)");
            }
            calibration = Calibration.load(config.calibrationFile, spec);
        } catch (IOException | IllegalArgumentException e) {
            shutdownQuietly(pi4j);
            throw new HardwareException("device.calibration: " + e.getMessage(), e);
        } catch (HardwareException e) {
            shutdownQuietly(pi4j);
            throw e;
        }
        OutputEnable oe;
        try {
            // first, so that OE is held high before anything talks to the chip
            oe = config.oePin >= 0 ? Pi4jOutputEnable.open(pi4j, config.oePin) : OutputEnable.none();
        } catch (RuntimeException e) {
            shutdownQuietly(pi4j);
            throw new HardwareException("device.oe_pin: cannot open BCM line " + config.oePin + " as an output: "
                    + e.getMessage(), e);
        }
        try {
            I2cDevice pwm = Pi4jI2cDevice.open(pi4j, "chromatic-pca9685", config.i2cBus, config.pca9685Address);
            I2cDevice imuDevice = Pi4jI2cDevice.open(pi4j, "chromatic-mpu6050", config.i2cBus, config.mpu6050Address);
            EstopInput estop = config.estopPin >= 0
                    ? Pi4jEstopInput.open(pi4j, config.estopPin, config.estopPressedWhenHigh)
                    : EstopInput.none();
            DeviceHardware hw = new DeviceHardware(spec, config, calibration, pwm, imuDevice, estop, clock, pause, pi4j);
            hw.setOutputEnable(oe);
            if (config.resetPin >= 0) {
                hw.resetInput = Pi4jResetInput.open(pi4j, config.resetPin);
            }
            return hw;
        } catch (RuntimeException e) {
            shutdownQuietly(pi4j);
            throw new HardwareException("cannot open I2C bus " + config.i2cBus + " (is I2C enabled? see docs/robot-build.md): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    /**
     * Hobby servos report no angles, velocities or torques: only the IMU is measured, as
     * {@link RobotSpec#minitaurServo()} declares (and its simulator reports).
     */
    @Override
    public int measuredMask() {
        return MEASURED_MASK;
    }

    /** What this backend measures: the IMU. */
    public static final int MEASURED_MASK = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;

    /**
     * Starts the PWM at the servo rate with all outputs off, wakes and configures the IMU, then
     * measures the gyro bias: the robot must stand still for about {@code gyroBiasSamples * 2 ms}.
     */
    @Override
    public void start() throws HardwareException {
        if (closed) {
            throw new HardwareException("device hardware was closed");
        }
        setOutputs(false);
        pca.start(config.servoRateHz, pause);
        imu.start(pause);
        imu.calibrateGyroBias(config.gyroBiasSamples, GYRO_BIAS_INTERVAL_NS, pause);
        filter.reset();
        consecutiveImuErrors = 0;
        consecutivePwmErrors = 0;
        imuFaultLatched = false;
        pwmFaultLatched = false;
        lastImuNs = clock.nanoTime();
        started = true;
    }

    @Override
    public void read(SensorFrame out) {
        long now = clock.nanoTime();
        out.timestampNs = now;
        out.sequence = ++reads;
        int n = spec.motorCount();
        for (int m = 0; m < n; m++) {
            out.motorAngleRad[m] = commandedRad[m];
            out.motorVelocityRadPerS[m] = 0.0;
            out.motorTorqueNm[m] = 0.0;
        }
        estopPressed = estop.pressed();
        out.estopPressed = estopPressed;
        out.resetPressed = resetInput.pressed();
        int mask = 0;
        if (started && !imuFaultLatched) {
            if (imu.read()) {
                consecutiveImuErrors = 0;
                filter.update(imu.accelXMps2, imu.accelYMps2, imu.accelZMps2,
                        imu.gyroXRadPerS, imu.gyroYRadPerS, imu.gyroZRadPerS, (now - lastImuNs) * 1e-9);
                lastImuNs = now;
                mask = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;
            } else {
                imuErrors++;
                if (++consecutiveImuErrors >= ERRORS_TO_LATCH) {
                    imuFaultLatched = true;
                }
            }
        }
        out.rollRad = filter.rollRad();
        out.pitchRad = filter.pitchRad();
        out.yawRad = filter.yawRad();
        out.rollRateRadPerS = imu.gyroXRadPerS;
        out.pitchRateRadPerS = imu.gyroYRadPerS;
        out.yawRateRadPerS = imu.gyroZRadPerS;
        out.accelXMps2 = imu.accelXMps2;
        out.accelYMps2 = imu.accelYMps2;
        out.accelZMps2 = imu.accelZMps2;
        out.validMask = pwmFaultLatched || oeFaultLatched ? 0 : mask;
    }

    @Override
    public void write(MotorCommand command) {
        if (!started || closed) {
            return;
        }
        int n = spec.motorCount();
        int first = calibration.firstChannel();
        boolean drive = command.mode == MotorCommand.Mode.POSITION && !estopPressed;
        if (!drive || pwmFaultLatched || oeFaultLatched) {
            setOutputs(false); // cut first, then clear the registers
        }
        for (int m = 0; m < n; m++) {
            JointCalibration joint = calibration.joint(m);
            if (drive) {
                double angle = spec.clampPosition(m, command.positionRad[m]);
                commandedRad[m] = angle;
                pulseUs[joint.channel - first] = joint.pulseUs(angle);
            } else {
                pulseUs[joint.channel - first] = -1.0;
            }
        }
        if (pca.writePulses(pulseUs)) {
            consecutivePwmErrors = 0;
            if (drive && !pwmFaultLatched && !oeFaultLatched) {
                setOutputs(true); // the chip holds this command's pulses: let them out
            }
        } else {
            pwmErrors++;
            if (++consecutivePwmErrors >= ERRORS_TO_LATCH) {
                pwmFaultLatched = true;
                setOutputs(false);
            }
        }
    }

    /**
     * Sets the OE line when it differs from what it was last set to (so a steady state touches no
     * GPIO). A line that cannot be set latches the OE fault; a failed enable is followed by a
     * disable, and a failed disable is retried on the next call.
     */
    private void setOutputs(boolean enabled) {
        if (enabled == outputsEnabled) {
            return;
        }
        if (enabled ? outputEnable.enable() : outputEnable.disable()) {
            outputsEnabled = enabled;
            return;
        }
        oeErrors++;
        oeFaultLatched = true;
        if (enabled) {
            outputsEnabled = !outputEnable.disable();
        }
    }

    /**
     * Disables the outputs (OE high), switches every servo off, puts the IMU to sleep and releases
     * the bus and the GPIO lines. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        setOutputs(false);
        if (started) {
            pca.allOff();
            imu.sleep();
        }
        outputEnable.close();
        estop.close();
        resetInput.close();
        pwmBus.close();
        imuBus.close();
        shutdownQuietly(pi4j);
    }

    /** True once three IMU reads in a row failed; cleared only by a restart. */
    public boolean imuFaultLatched() {
        return imuFaultLatched;
    }

    /** True once the OE line could not be set; cleared only by a restart. */
    public boolean oeFaultLatched() {
        return oeFaultLatched;
    }

    /** True when the OE line was last set low (outputs enabled); false before the first driving write. */
    public boolean outputsEnabled() {
        return outputsEnabled;
    }

    public long oeErrors() {
        return oeErrors;
    }

    /** True once three PWM writes in a row failed; cleared only by a restart. */
    public boolean pwmFaultLatched() {
        return pwmFaultLatched;
    }

    public long imuErrors() {
        return imuErrors;
    }

    public long pwmErrors() {
        return pwmErrors;
    }

    /** The PWM driver, for the calibration walk-through. */
    public Pca9685 pca9685() {
        return pca;
    }

    /** The IMU driver (gyro bias, raw values). */
    public Mpu6050 mpu6050() {
        return imu;
    }

    public Calibration calibration() {
        return calibration;
    }

    private static void shutdownQuietly(Context pi4j) {
        if (pi4j != null) {
            try {
                pi4j.shutdown();
            } catch (RuntimeException ignored) {
                // best effort at exit
            }
        }
    }
}
