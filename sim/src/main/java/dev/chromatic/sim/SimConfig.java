package dev.chromatic.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of {@link MinitaurSim}: timing, motor model, contact friction, sensor noise, disturbances,
 * domain randomisation, how episodes start, and the seed. Immutable once built; {@link Builder#build()}
 * validates every field and names the bad key. Randomised quantities are [min, max] ranges drawn
 * uniformly at each {@code reset(seed)} (per step for the control-period jitter, per push for pushes);
 * min == max means fixed. Text keys for {@link Builder#set} are the field names below; for a range,
 * the name without Min/Max sets both ends (e.g. {@code voltageV=15}).
 */
public final class SimConfig {

    /** Nominal servo (DS3218 at 6 V, docs/sim.md): stall torque, N.m. */
    public static final double NOMINAL_SERVO_STALL_TORQUE_NM = dev.chromatic.hal.RobotSpec.SERVO_STALL_TORQUE_NM;
    /** Nominal servo: no-load speed, rad/s. */
    public static final double NOMINAL_SERVO_NO_LOAD_SPEED_RAD_PER_S = dev.chromatic.hal.RobotSpec.SERVO_NO_LOAD_SPEED_RAD_PER_S;
    /** Nominal servo: lag time constant (our estimate, docs/sim.md). */
    public static final long NOMINAL_SERVO_LAG_NS = 10_000_000L;
    /** Nominal servo: deadband, us (DS3218 datasheet). */
    public static final double NOMINAL_SERVO_DEADBAND_US = 3.0;

    /** Bullet's default contact-solver iterations, the physics every shipped policy was trained in. */
    public static final int DEFAULT_SOLVER_ITERATIONS = 10;
    /** Upper bound of {@code solverIterations}: a substep stays bounded in time whatever a file says. */
    public static final int MAX_SOLVER_ITERATIONS = 1000;

    /** Physics substep: 1 ms, as in the reference environment. */
    public static final long SUBSTEP_NS = 1_000_000L;

    /** How {@code reset(seed)} places the robot. */
    public enum Start {
        /** Standing in the neutral pose, at rest, toes on the ground (the training reset). */
        STANDING,
        /** A power-up drawn from the seed: lying, crouched or standing, slightly moving (see {@code PowerUpStart}). */
        POWERUP
    }

    public final long controlPeriodNs;
    public final long pdLatencyNs;
    /** Observation latency: {@code read} returns the state this long ago. */
    public final long controlLatencyMinNs;
    public final long controlLatencyMaxNs;
    /** Action latency: a written command takes effect this long after {@code write}. */
    public final long actionLatencyMinNs;
    public final long actionLatencyMaxNs;
    /** Per-episode bound J of the control-period jitter: each period lasts its nominal length +- a whole number of ms up to J. */
    public final long controlJitterMinNs;
    public final long controlJitterMaxNs;
    public final boolean accurateMotorModel;
    public final boolean overheatCutoff;
    public final double kp;
    public final double kd;
    public final double voltageMinV;
    public final double voltageMaxV;
    /** Motor viscous damping b (adds to Kt in the back-EMF), V.s/rad. */
    public final double viscousDampingMin;
    public final double viscousDampingMax;
    /** Coulomb friction of each knee of the five-bar, N.m (the reference's "joint friction"). */
    public final double jointFrictionMinNm;
    public final double jointFrictionMaxNm;
    /** Per-motor torque multiplier. */
    public final double motorStrengthMin;
    public final double motorStrengthMax;
    /** Per-motor multiplier of the torque constant Kt (back-EMF, torque per ampere, reported torque). */
    public final double torqueConstantScaleMin;
    public final double torqueConstantScaleMax;
    /** Mass multiplier, drawn separately for the base and the legs. */
    public final double massScaleMin;
    public final double massScaleMax;
    /** Rotational inertia multiplier (on top of the mass's), drawn separately for the base and the legs. */
    public final double inertiaScaleMin;
    public final double inertiaScaleMax;
    public final double footFrictionMin;
    public final double footFrictionMax;
    public final double groundFriction;
    /**
     * Bullet's contact solver: sequential-impulse iterations per substep (Bullet's default, 10, is
     * what every shipped policy was trained in), 1..1000.
     */
    public final int solverIterations;
    /**
     * Toe friction as Bullet's implicit cone (true, the default) or as two independent directions
     * clamped one at a time, a pyramid (false: Bullet's {@code SOLVER_DISABLE_IMPLICIT_CONE_FRICTION}).
     */
    public final boolean frictionCone;
    /**
     * Start each substep's contact impulses from the last substep's (Bullet's articulated warm
     * start, factor 0.85) instead of from zero (false, the default).
     */
    public final boolean articulatedWarmStart;
    /** Standard deviations of the sensor noise, each drawn per episode from its range. */
    public final double motorAngleNoiseMinRad;
    public final double motorAngleNoiseMaxRad;
    public final double motorVelocityNoiseMinRadPerS;
    public final double motorVelocityNoiseMaxRadPerS;
    public final double attitudeNoiseMinRad;
    public final double attitudeNoiseMaxRad;
    public final double gyroNoiseMinRadPerS;
    public final double gyroNoiseMaxRadPerS;
    public final double accelNoiseMinMps2;
    public final double accelNoiseMaxMps2;
    /** IMU biases, drawn per episode and axis from their range. */
    public final double gyroBiasMinRadPerS;
    public final double gyroBiasMaxRadPerS;
    public final double accelBiasMinMps2;
    public final double accelBiasMaxMps2;
    /** Pushes: a horizontal force on the base's centre of mass in a random direction; 0 N means none. */
    public final double pushForceMinN;
    public final double pushForceMaxN;
    public final long pushDurationMinNs;
    public final long pushDurationMaxNs;
    /** Time from reset to the first push and from the end of a push to the next. */
    public final long pushIntervalMinNs;
    public final long pushIntervalMaxNs;
    /**
     * The robot simulated: {@code minitaur} (direct-drive motors, {@code MotorModel}) or
     * {@code minitaur-servo} (the hobby build: positional servos on a PCA9685, {@code ServoModel});
     * see {@code RobotSpec.named}.
     */
    public final String robot;
    /** Servo robot: the PCA9685's PWM rate ({@code device.servoRateHz}); a servo gets a new pulse once a cycle. */
    public final double servoPwmRateHz;
    /** Servo robot, per servo: stall torque, N.m (the torque limit at rest). */
    public final double servoStallTorqueMinNm;
    public final double servoStallTorqueMaxNm;
    /** Servo robot, per servo: no-load speed, rad/s (torque falls linearly to 0 there). */
    public final double servoNoLoadSpeedMinRadPerS;
    public final double servoNoLoadSpeedMaxRadPerS;
    /** Servo robot, per servo: time constant of the first-order lag between the amplifier and the torque. */
    public final long servoLagMinNs;
    public final long servoLagMaxNs;
    /** Servo robot, per servo: deadband of the amplifier, us of pulse width. */
    public final double servoDeadbandMinUs;
    public final double servoDeadbandMaxUs;
    public final Start start;
    public final long seed;

    private SimConfig(Builder b) {
        controlPeriodNs = b.controlPeriodNs;
        pdLatencyNs = b.pdLatencyNs;
        controlLatencyMinNs = b.controlLatencyMinNs;
        controlLatencyMaxNs = b.controlLatencyMaxNs;
        actionLatencyMinNs = b.actionLatencyMinNs;
        actionLatencyMaxNs = b.actionLatencyMaxNs;
        controlJitterMinNs = b.controlJitterMinNs;
        controlJitterMaxNs = b.controlJitterMaxNs;
        accurateMotorModel = b.accurateMotorModel;
        overheatCutoff = b.overheatCutoff;
        kp = b.kp;
        kd = b.kd;
        voltageMinV = b.voltageMinV;
        voltageMaxV = b.voltageMaxV;
        viscousDampingMin = b.viscousDampingMin;
        viscousDampingMax = b.viscousDampingMax;
        jointFrictionMinNm = b.jointFrictionMinNm;
        jointFrictionMaxNm = b.jointFrictionMaxNm;
        motorStrengthMin = b.motorStrengthMin;
        motorStrengthMax = b.motorStrengthMax;
        torqueConstantScaleMin = b.torqueConstantScaleMin;
        torqueConstantScaleMax = b.torqueConstantScaleMax;
        massScaleMin = b.massScaleMin;
        massScaleMax = b.massScaleMax;
        inertiaScaleMin = b.inertiaScaleMin;
        inertiaScaleMax = b.inertiaScaleMax;
        footFrictionMin = b.footFrictionMin;
        footFrictionMax = b.footFrictionMax;
        groundFriction = b.groundFriction;
        solverIterations = b.solverIterations;
        frictionCone = b.frictionCone;
        articulatedWarmStart = b.articulatedWarmStart;
        motorAngleNoiseMinRad = b.motorAngleNoiseMinRad;
        motorAngleNoiseMaxRad = b.motorAngleNoiseMaxRad;
        motorVelocityNoiseMinRadPerS = b.motorVelocityNoiseMinRadPerS;
        motorVelocityNoiseMaxRadPerS = b.motorVelocityNoiseMaxRadPerS;
        attitudeNoiseMinRad = b.attitudeNoiseMinRad;
        attitudeNoiseMaxRad = b.attitudeNoiseMaxRad;
        gyroNoiseMinRadPerS = b.gyroNoiseMinRadPerS;
        gyroNoiseMaxRadPerS = b.gyroNoiseMaxRadPerS;
        accelNoiseMinMps2 = b.accelNoiseMinMps2;
        accelNoiseMaxMps2 = b.accelNoiseMaxMps2;
        gyroBiasMinRadPerS = b.gyroBiasMinRadPerS;
        gyroBiasMaxRadPerS = b.gyroBiasMaxRadPerS;
        accelBiasMinMps2 = b.accelBiasMinMps2;
        accelBiasMaxMps2 = b.accelBiasMaxMps2;
        pushForceMinN = b.pushForceMinN;
        pushForceMaxN = b.pushForceMaxN;
        pushDurationMinNs = b.pushDurationMinNs;
        pushDurationMaxNs = b.pushDurationMaxNs;
        pushIntervalMinNs = b.pushIntervalMinNs;
        pushIntervalMaxNs = b.pushIntervalMaxNs;
        robot = b.robot;
        servoPwmRateHz = b.servoPwmRateHz;
        servoStallTorqueMinNm = b.servoStallTorqueMinNm;
        servoStallTorqueMaxNm = b.servoStallTorqueMaxNm;
        servoNoLoadSpeedMinRadPerS = b.servoNoLoadSpeedMinRadPerS;
        servoNoLoadSpeedMaxRadPerS = b.servoNoLoadSpeedMaxRadPerS;
        servoLagMinNs = b.servoLagMinNs;
        servoLagMaxNs = b.servoLagMaxNs;
        servoDeadbandMinUs = b.servoDeadbandMinUs;
        servoDeadbandMaxUs = b.servoDeadbandMaxUs;
        start = b.start;
        seed = b.seed;
    }

    /** Nominal robot, no randomisation, no noise, 10 ms control period, standing starts. */
    public static SimConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, e.g. to change the seed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.controlPeriodNs = controlPeriodNs;
        b.pdLatencyNs = pdLatencyNs;
        b.controlLatencyMinNs = controlLatencyMinNs;
        b.controlLatencyMaxNs = controlLatencyMaxNs;
        b.actionLatencyMinNs = actionLatencyMinNs;
        b.actionLatencyMaxNs = actionLatencyMaxNs;
        b.controlJitterMinNs = controlJitterMinNs;
        b.controlJitterMaxNs = controlJitterMaxNs;
        b.accurateMotorModel = accurateMotorModel;
        b.overheatCutoff = overheatCutoff;
        b.kp = kp;
        b.kd = kd;
        b.voltageMinV = voltageMinV;
        b.voltageMaxV = voltageMaxV;
        b.viscousDampingMin = viscousDampingMin;
        b.viscousDampingMax = viscousDampingMax;
        b.jointFrictionMinNm = jointFrictionMinNm;
        b.jointFrictionMaxNm = jointFrictionMaxNm;
        b.motorStrengthMin = motorStrengthMin;
        b.motorStrengthMax = motorStrengthMax;
        b.torqueConstantScaleMin = torqueConstantScaleMin;
        b.torqueConstantScaleMax = torqueConstantScaleMax;
        b.massScaleMin = massScaleMin;
        b.massScaleMax = massScaleMax;
        b.inertiaScaleMin = inertiaScaleMin;
        b.inertiaScaleMax = inertiaScaleMax;
        b.footFrictionMin = footFrictionMin;
        b.footFrictionMax = footFrictionMax;
        b.groundFriction = groundFriction;
        b.solverIterations = solverIterations;
        b.frictionCone = frictionCone;
        b.articulatedWarmStart = articulatedWarmStart;
        b.motorAngleNoiseMinRad = motorAngleNoiseMinRad;
        b.motorAngleNoiseMaxRad = motorAngleNoiseMaxRad;
        b.motorVelocityNoiseMinRadPerS = motorVelocityNoiseMinRadPerS;
        b.motorVelocityNoiseMaxRadPerS = motorVelocityNoiseMaxRadPerS;
        b.attitudeNoiseMinRad = attitudeNoiseMinRad;
        b.attitudeNoiseMaxRad = attitudeNoiseMaxRad;
        b.gyroNoiseMinRadPerS = gyroNoiseMinRadPerS;
        b.gyroNoiseMaxRadPerS = gyroNoiseMaxRadPerS;
        b.accelNoiseMinMps2 = accelNoiseMinMps2;
        b.accelNoiseMaxMps2 = accelNoiseMaxMps2;
        b.gyroBiasMinRadPerS = gyroBiasMinRadPerS;
        b.gyroBiasMaxRadPerS = gyroBiasMaxRadPerS;
        b.accelBiasMinMps2 = accelBiasMinMps2;
        b.accelBiasMaxMps2 = accelBiasMaxMps2;
        b.pushForceMinN = pushForceMinN;
        b.pushForceMaxN = pushForceMaxN;
        b.pushDurationMinNs = pushDurationMinNs;
        b.pushDurationMaxNs = pushDurationMaxNs;
        b.pushIntervalMinNs = pushIntervalMinNs;
        b.pushIntervalMaxNs = pushIntervalMaxNs;
        b.robot = robot;
        b.servoPwmRateHz = servoPwmRateHz;
        b.servoStallTorqueMinNm = servoStallTorqueMinNm;
        b.servoStallTorqueMaxNm = servoStallTorqueMaxNm;
        b.servoNoLoadSpeedMinRadPerS = servoNoLoadSpeedMinRadPerS;
        b.servoNoLoadSpeedMaxRadPerS = servoNoLoadSpeedMaxRadPerS;
        b.servoLagMinNs = servoLagMinNs;
        b.servoLagMaxNs = servoLagMaxNs;
        b.servoDeadbandMinUs = servoDeadbandMinUs;
        b.servoDeadbandMaxUs = servoDeadbandMaxUs;
        b.start = start;
        b.seed = seed;
        return b;
    }

    /** Physics substeps per (nominal) control period. */
    public int substepsPerControl() {
        return (int) (controlPeriodNs / SUBSTEP_NS);
    }

    /** True when any mass or inertia is randomised (the multibody is then rebuilt at every reset). */
    public boolean randomizesMass() {
        return massScaleMin != 1.0 || massScaleMax != 1.0 || inertiaScaleMin != 1.0 || inertiaScaleMax != 1.0;
    }

    /** True when the robot is driven by hobby servos ({@code minitaur-servo}), false for direct-drive motors. */
    public boolean servos() {
        return SERVO_ROBOT.equals(robot);
    }

    /** The servo robot's name. */
    public static final String SERVO_ROBOT = "minitaur-servo";

    /** True when pushes can happen. */
    public boolean pushes() {
        return pushForceMaxN > 0 && pushDurationMaxNs > 0;
    }

    /**
     * The randomised quantities, each as the keys of its two ends: what {@link Builder#domainRandomization()}
     * sets and what a range test sweeps. Ranges that only make sense together (the three of a push)
     * count as one quantity whose ends are all-min and all-max.
     */
    public static List<List<String>> randomizedQuantities() {
        return List.of(
                List.of("controlLatencyMinNs", "controlLatencyMaxNs"),
                List.of("actionLatencyMinNs", "actionLatencyMaxNs"),
                List.of("controlJitterMinNs", "controlJitterMaxNs"),
                List.of("voltageMinV", "voltageMaxV"),
                List.of("viscousDampingMin", "viscousDampingMax"),
                List.of("jointFrictionMinNm", "jointFrictionMaxNm"),
                List.of("motorStrengthMin", "motorStrengthMax"),
                List.of("torqueConstantScaleMin", "torqueConstantScaleMax"),
                List.of("massScaleMin", "massScaleMax"),
                List.of("inertiaScaleMin", "inertiaScaleMax"),
                List.of("footFrictionMin", "footFrictionMax"),
                List.of("motorAngleNoiseMinRad", "motorAngleNoiseMaxRad"),
                List.of("motorVelocityNoiseMinRadPerS", "motorVelocityNoiseMaxRadPerS"),
                List.of("attitudeNoiseMinRad", "attitudeNoiseMaxRad"),
                List.of("gyroNoiseMinRadPerS", "gyroNoiseMaxRadPerS"),
                List.of("accelNoiseMinMps2", "accelNoiseMaxMps2"),
                List.of("gyroBiasMinRadPerS", "gyroBiasMaxRadPerS"),
                List.of("accelBiasMinMps2", "accelBiasMaxMps2"),
                List.of("pushForceMinN", "pushForceMaxN", "pushDurationMinNs", "pushDurationMaxNs",
                        "pushIntervalMinNs", "pushIntervalMaxNs"));
    }

    /**
     * The quantities randomised only on the servo robot (the direct-drive motor's voltage, Kt, damping,
     * strength and PD latency do not apply there), as {@link #randomizedQuantities()}.
     */
    public static List<List<String>> servoRandomizedQuantities() {
        return List.of(
                List.of("servoStallTorqueMinNm", "servoStallTorqueMaxNm"),
                List.of("servoNoLoadSpeedMinRadPerS", "servoNoLoadSpeedMaxRadPerS"),
                List.of("servoLagMinNs", "servoLagMaxNs"),
                List.of("servoDeadbandMinUs", "servoDeadbandMaxUs"));
    }

    /** Mutable settings; public fields, checked once by {@link #build()}. */
    public static final class Builder {
        public long controlPeriodNs = 10_000_000L;
        public long pdLatencyNs = 3_000_000L;
        public long controlLatencyMinNs = 0L;
        public long controlLatencyMaxNs = 0L;
        public long actionLatencyMinNs = 0L;
        public long actionLatencyMaxNs = 0L;
        public long controlJitterMinNs = 0L;
        public long controlJitterMaxNs = 0L;
        public boolean accurateMotorModel = true;
        public boolean overheatCutoff = false;
        public double kp = 1.0;
        public double kd = 0.015;
        public double voltageMinV = 16.0;
        public double voltageMaxV = 16.0;
        public double viscousDampingMin = 0.0;
        public double viscousDampingMax = 0.0;
        public double jointFrictionMinNm = 0.0;
        public double jointFrictionMaxNm = 0.0;
        public double motorStrengthMin = 1.0;
        public double motorStrengthMax = 1.0;
        public double torqueConstantScaleMin = 1.0;
        public double torqueConstantScaleMax = 1.0;
        public double massScaleMin = 1.0;
        public double massScaleMax = 1.0;
        public double inertiaScaleMin = 1.0;
        public double inertiaScaleMax = 1.0;
        public double footFrictionMin = 1.0;
        public double footFrictionMax = 1.0;
        public double groundFriction = 1.0;
        public int solverIterations = DEFAULT_SOLVER_ITERATIONS;
        public boolean frictionCone = true;
        public boolean articulatedWarmStart = false;
        public double motorAngleNoiseMinRad = 0.0;
        public double motorAngleNoiseMaxRad = 0.0;
        public double motorVelocityNoiseMinRadPerS = 0.0;
        public double motorVelocityNoiseMaxRadPerS = 0.0;
        public double attitudeNoiseMinRad = 0.0;
        public double attitudeNoiseMaxRad = 0.0;
        public double gyroNoiseMinRadPerS = 0.0;
        public double gyroNoiseMaxRadPerS = 0.0;
        public double accelNoiseMinMps2 = 0.0;
        public double accelNoiseMaxMps2 = 0.0;
        public double gyroBiasMinRadPerS = 0.0;
        public double gyroBiasMaxRadPerS = 0.0;
        public double accelBiasMinMps2 = 0.0;
        public double accelBiasMaxMps2 = 0.0;
        public double pushForceMinN = 0.0;
        public double pushForceMaxN = 0.0;
        public long pushDurationMinNs = 0L;
        public long pushDurationMaxNs = 0L;
        public long pushIntervalMinNs = 0L;
        public long pushIntervalMaxNs = 0L;
        public String robot = "minitaur";
        public double servoPwmRateHz = 50.0;
        public double servoStallTorqueMinNm = NOMINAL_SERVO_STALL_TORQUE_NM;
        public double servoStallTorqueMaxNm = NOMINAL_SERVO_STALL_TORQUE_NM;
        public double servoNoLoadSpeedMinRadPerS = NOMINAL_SERVO_NO_LOAD_SPEED_RAD_PER_S;
        public double servoNoLoadSpeedMaxRadPerS = NOMINAL_SERVO_NO_LOAD_SPEED_RAD_PER_S;
        public long servoLagMinNs = NOMINAL_SERVO_LAG_NS;
        public long servoLagMaxNs = NOMINAL_SERVO_LAG_NS;
        public double servoDeadbandMinUs = NOMINAL_SERVO_DEADBAND_US;
        public double servoDeadbandMaxUs = NOMINAL_SERVO_DEADBAND_US;
        public Start start = Start.STANDING;
        public long seed = 0L;

        public Builder controlPeriodNs(long v) {
            controlPeriodNs = v;
            return this;
        }

        public Builder pdLatencyNs(long v) {
            pdLatencyNs = v;
            return this;
        }

        /** Fixed control (observation) latency. */
        public Builder controlLatencyNs(long v) {
            controlLatencyMinNs = v;
            controlLatencyMaxNs = v;
            return this;
        }

        /** Fixed action latency. */
        public Builder actionLatencyNs(long v) {
            actionLatencyMinNs = v;
            actionLatencyMaxNs = v;
            return this;
        }

        public Builder accurateMotorModel(boolean v) {
            accurateMotorModel = v;
            return this;
        }

        public Builder overheatCutoff(boolean v) {
            overheatCutoff = v;
            return this;
        }

        public Builder gains(double kpPwmPerRad, double kdPwmPerRadPerS) {
            kp = kpPwmPerRad;
            kd = kdPwmPerRadPerS;
            return this;
        }

        public Builder start(Start v) {
            start = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Every randomised quantity at its training range (docs/sim.md compares each with the PyBullet
         * Minitaur randomiser's): masses 0.8-1.2, inertias 0.5-1.5, motor strength 0.8-1.2, Kt 0.9-1.1,
         * viscous damping 0-0.05, knee friction 0-0.05 N.m, battery 14.0-16.8 V, foot friction
         * 0.5-1.25, observation and action latency 0-20 ms each, control-period jitter up to +-1 ms,
         * sensor noise and IMU biases, pushes of 5-15 N for 50-150 ms every 1-3 s (docs/sim.md says why not more);
         * on the servo robot per servo: stall torque 1.6-2.1 N.m, no-load speed 5.6-7.5 rad/s, lag 5-20 ms,
         * deadband 1-5 us.
         */
        public Builder domainRandomization() {
            massScaleMin = 0.8;
            massScaleMax = 1.2;
            inertiaScaleMin = 0.5;
            inertiaScaleMax = 1.5;
            motorStrengthMin = 0.8;
            motorStrengthMax = 1.2;
            torqueConstantScaleMin = 0.9;
            torqueConstantScaleMax = 1.1;
            viscousDampingMin = 0.0;
            viscousDampingMax = 0.05;
            jointFrictionMinNm = 0.0;
            jointFrictionMaxNm = 0.05;
            voltageMinV = 14.0;
            voltageMaxV = 16.8;
            footFrictionMin = 0.5;
            footFrictionMax = 1.25;
            controlLatencyMinNs = 0L;
            controlLatencyMaxNs = 20_000_000L;
            actionLatencyMinNs = 0L;
            actionLatencyMaxNs = 20_000_000L;
            controlJitterMinNs = 0L;
            controlJitterMaxNs = 1_000_000L;
            motorAngleNoiseMinRad = 0.005;
            motorAngleNoiseMaxRad = 0.01;
            motorVelocityNoiseMinRadPerS = 0.05;
            motorVelocityNoiseMaxRadPerS = 0.1;
            attitudeNoiseMinRad = 0.005;
            attitudeNoiseMaxRad = 0.01;
            gyroNoiseMinRadPerS = 0.01;
            gyroNoiseMaxRadPerS = 0.02;
            accelNoiseMinMps2 = 0.05;
            accelNoiseMaxMps2 = 0.1;
            gyroBiasMinRadPerS = -0.01;
            gyroBiasMaxRadPerS = 0.01;
            accelBiasMinMps2 = -0.1;
            accelBiasMaxMps2 = 0.1;
            pushForceMinN = 5.0;
            pushForceMaxN = 15.0;
            pushDurationMinNs = 50_000_000L;
            pushDurationMaxNs = 150_000_000L;
            pushIntervalMinNs = 1_000_000_000L;
            pushIntervalMaxNs = 3_000_000_000L;
            servoStallTorqueMinNm = 1.6;
            servoStallTorqueMaxNm = 2.1;
            servoNoLoadSpeedMinRadPerS = 5.6;
            servoNoLoadSpeedMaxRadPerS = 7.5;
            servoLagMinNs = 5_000_000L;
            servoLagMaxNs = 20_000_000L;
            servoDeadbandMinUs = 1.0;
            servoDeadbandMaxUs = 5.0;
            return this;
        }

        /**
         * Sets one field from text ({@code key} = a field name; for a range, the name without Min/Max
         * sets both ends, e.g. {@code voltageV=15}; {@code gyroBiasRadPerS=b} and
         * {@code accelBiasMps2=b} set the range [-b, b]). Throws naming the key on an unknown key or
         * a bad value.
         */
        public Builder set(String key, String value) {
            String v = value == null ? "" : value.trim();
            try {
                switch (key) {
                    case "controlPeriodNs" -> controlPeriodNs = Long.parseLong(v);
                    case "controlPeriodMs" -> controlPeriodNs = Math.round(Double.parseDouble(v) * 1e6);
                    case "pdLatencyNs" -> pdLatencyNs = Long.parseLong(v);
                    case "controlLatencyNs" -> controlLatencyNs(Long.parseLong(v));
                    case "controlLatencyMinNs" -> controlLatencyMinNs = Long.parseLong(v);
                    case "controlLatencyMaxNs" -> controlLatencyMaxNs = Long.parseLong(v);
                    case "actionLatencyNs" -> actionLatencyNs(Long.parseLong(v));
                    case "actionLatencyMinNs" -> actionLatencyMinNs = Long.parseLong(v);
                    case "actionLatencyMaxNs" -> actionLatencyMaxNs = Long.parseLong(v);
                    case "controlJitterNs" -> controlJitterMinNs = controlJitterMaxNs = Long.parseLong(v);
                    case "controlJitterMinNs" -> controlJitterMinNs = Long.parseLong(v);
                    case "controlJitterMaxNs" -> controlJitterMaxNs = Long.parseLong(v);
                    case "accurateMotorModel" -> accurateMotorModel = parseBoolean(key, v);
                    case "overheatCutoff" -> overheatCutoff = parseBoolean(key, v);
                    case "kp" -> kp = Double.parseDouble(v);
                    case "kd" -> kd = Double.parseDouble(v);
                    case "voltageV" -> voltageMinV = voltageMaxV = Double.parseDouble(v);
                    case "voltageMinV" -> voltageMinV = Double.parseDouble(v);
                    case "voltageMaxV" -> voltageMaxV = Double.parseDouble(v);
                    case "viscousDamping" -> viscousDampingMin = viscousDampingMax = Double.parseDouble(v);
                    case "viscousDampingMin" -> viscousDampingMin = Double.parseDouble(v);
                    case "viscousDampingMax" -> viscousDampingMax = Double.parseDouble(v);
                    case "jointFrictionNm" -> jointFrictionMinNm = jointFrictionMaxNm = Double.parseDouble(v);
                    case "jointFrictionMinNm" -> jointFrictionMinNm = Double.parseDouble(v);
                    case "jointFrictionMaxNm" -> jointFrictionMaxNm = Double.parseDouble(v);
                    case "motorStrength" -> motorStrengthMin = motorStrengthMax = Double.parseDouble(v);
                    case "motorStrengthMin" -> motorStrengthMin = Double.parseDouble(v);
                    case "motorStrengthMax" -> motorStrengthMax = Double.parseDouble(v);
                    case "torqueConstantScale" -> torqueConstantScaleMin = torqueConstantScaleMax = Double.parseDouble(v);
                    case "torqueConstantScaleMin" -> torqueConstantScaleMin = Double.parseDouble(v);
                    case "torqueConstantScaleMax" -> torqueConstantScaleMax = Double.parseDouble(v);
                    case "massScale" -> massScaleMin = massScaleMax = Double.parseDouble(v);
                    case "massScaleMin" -> massScaleMin = Double.parseDouble(v);
                    case "massScaleMax" -> massScaleMax = Double.parseDouble(v);
                    case "inertiaScale" -> inertiaScaleMin = inertiaScaleMax = Double.parseDouble(v);
                    case "inertiaScaleMin" -> inertiaScaleMin = Double.parseDouble(v);
                    case "inertiaScaleMax" -> inertiaScaleMax = Double.parseDouble(v);
                    case "footFriction" -> footFrictionMin = footFrictionMax = Double.parseDouble(v);
                    case "footFrictionMin" -> footFrictionMin = Double.parseDouble(v);
                    case "footFrictionMax" -> footFrictionMax = Double.parseDouble(v);
                    case "groundFriction" -> groundFriction = Double.parseDouble(v);
                    case "solverIterations" -> solverIterations = Integer.parseInt(v);
                    case "frictionCone" -> frictionCone = parseBoolean(key, v);
                    case "articulatedWarmStart" -> articulatedWarmStart = parseBoolean(key, v);
                    case "motorAngleNoiseRad" -> motorAngleNoiseMinRad = motorAngleNoiseMaxRad = Double.parseDouble(v);
                    case "motorAngleNoiseMinRad" -> motorAngleNoiseMinRad = Double.parseDouble(v);
                    case "motorAngleNoiseMaxRad" -> motorAngleNoiseMaxRad = Double.parseDouble(v);
                    case "motorVelocityNoiseRadPerS" ->
                            motorVelocityNoiseMinRadPerS = motorVelocityNoiseMaxRadPerS = Double.parseDouble(v);
                    case "motorVelocityNoiseMinRadPerS" -> motorVelocityNoiseMinRadPerS = Double.parseDouble(v);
                    case "motorVelocityNoiseMaxRadPerS" -> motorVelocityNoiseMaxRadPerS = Double.parseDouble(v);
                    case "attitudeNoiseRad" -> attitudeNoiseMinRad = attitudeNoiseMaxRad = Double.parseDouble(v);
                    case "attitudeNoiseMinRad" -> attitudeNoiseMinRad = Double.parseDouble(v);
                    case "attitudeNoiseMaxRad" -> attitudeNoiseMaxRad = Double.parseDouble(v);
                    case "gyroNoiseRadPerS" -> gyroNoiseMinRadPerS = gyroNoiseMaxRadPerS = Double.parseDouble(v);
                    case "gyroNoiseMinRadPerS" -> gyroNoiseMinRadPerS = Double.parseDouble(v);
                    case "gyroNoiseMaxRadPerS" -> gyroNoiseMaxRadPerS = Double.parseDouble(v);
                    case "accelNoiseMps2" -> accelNoiseMinMps2 = accelNoiseMaxMps2 = Double.parseDouble(v);
                    case "accelNoiseMinMps2" -> accelNoiseMinMps2 = Double.parseDouble(v);
                    case "accelNoiseMaxMps2" -> accelNoiseMaxMps2 = Double.parseDouble(v);
                    case "gyroBiasRadPerS" -> {
                        gyroBiasMaxRadPerS = Double.parseDouble(v);
                        gyroBiasMinRadPerS = -gyroBiasMaxRadPerS;
                    }
                    case "gyroBiasMinRadPerS" -> gyroBiasMinRadPerS = Double.parseDouble(v);
                    case "gyroBiasMaxRadPerS" -> gyroBiasMaxRadPerS = Double.parseDouble(v);
                    case "accelBiasMps2" -> {
                        accelBiasMaxMps2 = Double.parseDouble(v);
                        accelBiasMinMps2 = -accelBiasMaxMps2;
                    }
                    case "accelBiasMinMps2" -> accelBiasMinMps2 = Double.parseDouble(v);
                    case "accelBiasMaxMps2" -> accelBiasMaxMps2 = Double.parseDouble(v);
                    case "pushForceN" -> pushForceMinN = pushForceMaxN = Double.parseDouble(v);
                    case "pushForceMinN" -> pushForceMinN = Double.parseDouble(v);
                    case "pushForceMaxN" -> pushForceMaxN = Double.parseDouble(v);
                    case "pushDurationNs" -> pushDurationMinNs = pushDurationMaxNs = Long.parseLong(v);
                    case "pushDurationMinNs" -> pushDurationMinNs = Long.parseLong(v);
                    case "pushDurationMaxNs" -> pushDurationMaxNs = Long.parseLong(v);
                    case "pushIntervalNs" -> pushIntervalMinNs = pushIntervalMaxNs = Long.parseLong(v);
                    case "pushIntervalMinNs" -> pushIntervalMinNs = Long.parseLong(v);
                    case "pushIntervalMaxNs" -> pushIntervalMaxNs = Long.parseLong(v);
                    case "robot" -> robot = parseRobot(key, v);
                    case "servoPwmRateHz" -> servoPwmRateHz = Double.parseDouble(v);
                    case "servoStallTorqueNm" -> servoStallTorqueMinNm = servoStallTorqueMaxNm = Double.parseDouble(v);
                    case "servoStallTorqueMinNm" -> servoStallTorqueMinNm = Double.parseDouble(v);
                    case "servoStallTorqueMaxNm" -> servoStallTorqueMaxNm = Double.parseDouble(v);
                    case "servoNoLoadSpeedRadPerS" ->
                            servoNoLoadSpeedMinRadPerS = servoNoLoadSpeedMaxRadPerS = Double.parseDouble(v);
                    case "servoNoLoadSpeedMinRadPerS" -> servoNoLoadSpeedMinRadPerS = Double.parseDouble(v);
                    case "servoNoLoadSpeedMaxRadPerS" -> servoNoLoadSpeedMaxRadPerS = Double.parseDouble(v);
                    case "servoLagNs" -> servoLagMinNs = servoLagMaxNs = Long.parseLong(v);
                    case "servoLagMinNs" -> servoLagMinNs = Long.parseLong(v);
                    case "servoLagMaxNs" -> servoLagMaxNs = Long.parseLong(v);
                    case "servoDeadbandUs" -> servoDeadbandMinUs = servoDeadbandMaxUs = Double.parseDouble(v);
                    case "servoDeadbandMinUs" -> servoDeadbandMinUs = Double.parseDouble(v);
                    case "servoDeadbandMaxUs" -> servoDeadbandMaxUs = Double.parseDouble(v);
                    case "start" -> start = parseStart(key, v);
                    case "seed" -> seed = Long.parseLong(v);
                    case "domainRandomization" -> {
                        if (parseBoolean(key, v)) {
                            domainRandomization();
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown sim setting '" + key + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sim setting '" + key + "' is not a number: '" + value + "'");
            }
            return this;
        }

        /** Applies every entry of {@code settings} with {@link #set}, in the map's order. */
        public Builder setAll(Map<String, String> settings) {
            settings.forEach(this::set);
            return this;
        }

        /**
         * Applies a settings file, line by line in order: {@code key = value} (or {@code key: value}),
         * blank lines and lines starting with {@code #} or {@code !} ignored, so a later line overrides
         * an earlier one (put {@code domainRandomization = true} first to start from the training ranges).
         * Throws {@link IllegalArgumentException} naming the file, line and key of a bad entry, and
         * {@link UncheckedIOException} if the file cannot be read.
         */
        public Builder load(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read sim settings " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                    continue;
                }
                int eq = line.indexOf('=');
                int colon = line.indexOf(':');
                int sep = eq < 0 ? colon : (colon < 0 ? eq : Math.min(eq, colon));
                if (sep <= 0) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected key = value, got '" + line + "'");
                }
                try {
                    set(line.substring(0, sep).strip(), line.substring(sep + 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            return this;
        }

        /** Checks every field; the message names the first bad one. */
        public SimConfig build() {
            if (controlPeriodNs < SUBSTEP_NS || controlPeriodNs % SUBSTEP_NS != 0) {
                throw new IllegalArgumentException("controlPeriodNs must be a positive multiple of 1 ms, was "
                        + controlPeriodNs);
            }
            checkLatency("pdLatencyNs", pdLatencyNs);
            checkLatency("controlLatencyMinNs", controlLatencyMinNs);
            checkLatency("controlLatencyMaxNs", controlLatencyMaxNs);
            checkRange("controlLatency", "Ns", controlLatencyMinNs, controlLatencyMaxNs);
            checkLatency("actionLatencyMinNs", actionLatencyMinNs);
            checkLatency("actionLatencyMaxNs", actionLatencyMaxNs);
            checkRange("actionLatency", "Ns", actionLatencyMinNs, actionLatencyMaxNs);
            checkLatency("controlJitterMinNs", controlJitterMinNs);
            checkLatency("controlJitterMaxNs", controlJitterMaxNs);
            checkRange("controlJitter", "Ns", controlJitterMinNs, controlJitterMaxNs);
            if (controlJitterMaxNs >= controlPeriodNs) {
                throw new IllegalArgumentException("controlJitterMaxNs must be below controlPeriodNs ("
                        + controlJitterMaxNs + " >= " + controlPeriodNs + ")");
            }
            checkNonNegative("kp", kp);
            checkNonNegative("kd", kd);
            checkPositive("voltageMinV", voltageMinV);
            checkRange("voltage", "V", voltageMinV, voltageMaxV);
            checkNonNegative("viscousDampingMin", viscousDampingMin);
            checkRange("viscousDamping", "", viscousDampingMin, viscousDampingMax);
            checkNonNegative("jointFrictionMinNm", jointFrictionMinNm);
            checkRange("jointFriction", "Nm", jointFrictionMinNm, jointFrictionMaxNm);
            checkPositive("motorStrengthMin", motorStrengthMin);
            checkRange("motorStrength", "", motorStrengthMin, motorStrengthMax);
            checkPositive("torqueConstantScaleMin", torqueConstantScaleMin);
            checkRange("torqueConstantScale", "", torqueConstantScaleMin, torqueConstantScaleMax);
            checkPositive("massScaleMin", massScaleMin);
            checkRange("massScale", "", massScaleMin, massScaleMax);
            checkPositive("inertiaScaleMin", inertiaScaleMin);
            checkRange("inertiaScale", "", inertiaScaleMin, inertiaScaleMax);
            checkNonNegative("footFrictionMin", footFrictionMin);
            checkRange("footFriction", "", footFrictionMin, footFrictionMax);
            checkNonNegative("groundFriction", groundFriction);
            if (solverIterations < 1 || solverIterations > MAX_SOLVER_ITERATIONS) {
                throw new IllegalArgumentException("solverIterations must lie in 1.." + MAX_SOLVER_ITERATIONS + ", was "
                        + solverIterations);
            }
            checkNonNegative("motorAngleNoiseMinRad", motorAngleNoiseMinRad);
            checkRange("motorAngleNoise", "Rad", motorAngleNoiseMinRad, motorAngleNoiseMaxRad);
            checkNonNegative("motorVelocityNoiseMinRadPerS", motorVelocityNoiseMinRadPerS);
            checkRange("motorVelocityNoise", "RadPerS", motorVelocityNoiseMinRadPerS, motorVelocityNoiseMaxRadPerS);
            checkNonNegative("attitudeNoiseMinRad", attitudeNoiseMinRad);
            checkRange("attitudeNoise", "Rad", attitudeNoiseMinRad, attitudeNoiseMaxRad);
            checkNonNegative("gyroNoiseMinRadPerS", gyroNoiseMinRadPerS);
            checkRange("gyroNoise", "RadPerS", gyroNoiseMinRadPerS, gyroNoiseMaxRadPerS);
            checkNonNegative("accelNoiseMinMps2", accelNoiseMinMps2);
            checkRange("accelNoise", "Mps2", accelNoiseMinMps2, accelNoiseMaxMps2);
            checkFinite("gyroBiasMinRadPerS", gyroBiasMinRadPerS);
            checkFinite("gyroBiasMaxRadPerS", gyroBiasMaxRadPerS);
            checkRange("gyroBias", "RadPerS", gyroBiasMinRadPerS, gyroBiasMaxRadPerS);
            checkFinite("accelBiasMinMps2", accelBiasMinMps2);
            checkFinite("accelBiasMaxMps2", accelBiasMaxMps2);
            checkRange("accelBias", "Mps2", accelBiasMinMps2, accelBiasMaxMps2);
            checkNonNegative("pushForceMinN", pushForceMinN);
            checkRange("pushForce", "N", pushForceMinN, pushForceMaxN);
            checkDuration("pushDurationMinNs", pushDurationMinNs);
            checkDuration("pushDurationMaxNs", pushDurationMaxNs);
            checkRange("pushDuration", "Ns", pushDurationMinNs, pushDurationMaxNs);
            checkDuration("pushIntervalMinNs", pushIntervalMinNs);
            checkDuration("pushIntervalMaxNs", pushIntervalMaxNs);
            checkRange("pushInterval", "Ns", pushIntervalMinNs, pushIntervalMaxNs);
            if (pushForceMaxN > 0 && pushDurationMaxNs > 0 && pushIntervalMinNs < SUBSTEP_NS) {
                throw new IllegalArgumentException("pushIntervalMinNs must be at least 1 ms when pushes are on, was "
                        + pushIntervalMinNs);
            }
            if (start == null) {
                throw new IllegalArgumentException("start must be standing or powerup");
            }
            parseRobot("robot", robot);
            if (!(servoPwmRateHz >= 24 && servoPwmRateHz <= 400)) {
                throw new IllegalArgumentException("servoPwmRateHz must lie in 24..400 (the device's servoRateHz), was "
                        + servoPwmRateHz);
            }
            checkPositive("servoStallTorqueMinNm", servoStallTorqueMinNm);
            checkRange("servoStallTorque", "Nm", servoStallTorqueMinNm, servoStallTorqueMaxNm);
            checkPositive("servoNoLoadSpeedMinRadPerS", servoNoLoadSpeedMinRadPerS);
            checkRange("servoNoLoadSpeed", "RadPerS", servoNoLoadSpeedMinRadPerS, servoNoLoadSpeedMaxRadPerS);
            if (servoLagMinNs < 0 || servoLagMaxNs > 1_000_000_000L) {
                throw new IllegalArgumentException("servoLagMinNs and servoLagMaxNs must lie in [0, 1 s], were "
                        + servoLagMinNs + " and " + servoLagMaxNs);
            }
            checkRange("servoLag", "Ns", servoLagMinNs, servoLagMaxNs);
            checkNonNegative("servoDeadbandMinUs", servoDeadbandMinUs);
            checkRange("servoDeadband", "Us", servoDeadbandMinUs, servoDeadbandMaxUs);
            return new SimConfig(this);
        }

        private static boolean parseBoolean(String key, String v) {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1") || s.equals("on")) {
                return true;
            }
            if (s.equals("false") || s.equals("0") || s.equals("off")) {
                return false;
            }
            throw new IllegalArgumentException("sim setting '" + key + "' must be true or false, was '" + v + "'");
        }

        private static String parseRobot(String key, String v) {
            if (v == null || !dev.chromatic.hal.RobotSpec.NAMES.contains(v)) {
                throw new IllegalArgumentException("sim setting '" + key + "' must be one of "
                        + dev.chromatic.hal.RobotSpec.NAMES + ", was '" + v + "'");
            }
            return v;
        }

        private static Start parseStart(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "standing" -> Start.STANDING;
                case "powerup", "power-up" -> Start.POWERUP;
                default -> throw new IllegalArgumentException("sim setting '" + key
                        + "' must be standing or powerup, was '" + v + "'");
            };
        }

        private static void checkLatency(String key, long ns) {
            if (ns < 0 || ns > 1_000_000_000L || ns % SUBSTEP_NS != 0) {
                throw new IllegalArgumentException(key + " must be a multiple of 1 ms in [0, 1 s], was " + ns);
            }
        }

        private static void checkDuration(String key, long ns) {
            if (ns < 0 || ns > 3_600_000_000_000L) {
                throw new IllegalArgumentException(key + " must be in [0, 1 h], was " + ns);
            }
        }

        private static void checkRange(String name, String unit, double min, double max) {
            if (!(min <= max) || Double.isInfinite(max)) {
                throw new IllegalArgumentException(name + "Min" + unit + " must be <= " + name + "Max" + unit
                        + " (" + min + " > " + max + ")");
            }
        }

        private static void checkFinite(String key, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number, was " + v);
            }
        }

        private static void checkNonNegative(String key, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number >= 0, was " + v);
            }
        }

        private static void checkPositive(String key, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number > 0, was " + v);
            }
        }
    }
}
