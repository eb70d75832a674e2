package dev.chromatic.sim;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.kinematics.FiveBarLeg;
import dev.chromatic.sim.motor.MotorModel;
import dev.chromatic.sim.motor.OverheatGuard;
import dev.chromatic.sim.physics.ExtensionDrive;
import dev.chromatic.sim.physics.MinitaurBody;

/**
 * The Minitaur-style quadruped on Bullet physics, behind the HAL. Lockstep: {@link #write} applies a
 * command and advances one control period in 1 ms physics substeps, running the motor model
 * ({@link MotorModel}) at every substep; {@link #read} returns the sensors as they were one control
 * latency ago (plus optional noise and gyro bias). {@link #reset(long)} starts a new episode in the
 * same physics space, drawing the domain randomisation from the seed. Same seed and same commands
 * give bitwise the same trajectory.
 *
 * <p>{@code read} and {@code write} never allocate and never throw: a command with a wrong motor
 * count is ignored (motors keep the previous command) and counted; NaN targets hold the measured
 * angle. Not thread-safe: one instance per thread (the native library is not thread-safe per space).
 */
public final class MinitaurSim implements Hardware {

    /**
     * Each motor's travel ends at the spec's position limits (the robot's servos have a fixed travel):
     * beyond a limit a stiff stop pushes back, with damping while it moves further out.
     */
    static final double TRAVEL_STOP_STIFFNESS_NM_PER_RAD = 50.0;
    static final double TRAVEL_STOP_DAMPING_NM_PER_RADPS = 0.5;
    /** A toe counts as touching the ground when its centre is this close to toe-radius height. */
    static final double CONTACT_TOLERANCE_M = 0.003;

    private static final int MOTORS = 8;
    private static final int H_TIME = 0;
    private static final int H_ANGLE = 1;
    private static final int H_VEL = H_ANGLE + MOTORS;
    private static final int H_TORQUE = H_VEL + MOTORS;
    private static final int H_RPY = H_TORQUE + MOTORS;
    private static final int H_RATE = H_RPY + 3;
    private static final int H_ACCEL = H_RATE + 3;
    private static final int H_STRIDE = H_ACCEL + 3;

    private final RobotSpec spec;
    private final SimConfig config;
    private final FiveBarLeg leg;
    private final MinitaurBody body;
    private final ExtensionDrive drive;
    private final OverheatGuard overheat = new OverheatGuard(MOTORS);
    private final SeededRandom random = new SeededRandom(0);
    private final double[][] history;
    private int historyHead;
    private int historyCount;

    private final MotorCommand active = new MotorCommand(MOTORS);
    private final double[] targetRad = new double[MOTORS];
    private final double[] strength = new double[MOTORS];
    private double voltageV;
    private double viscousDamping;
    private double footFriction;
    private double baseMassScale = 1.0;
    private double legMassScale = 1.0;
    private int controlLatencySteps;
    private final int pdLatencySteps;
    private final double[] gyroBias = new double[3];

    private final double[] swing = new double[4];
    private final double[] swingRate = new double[4];
    private final double[] radius = new double[4];
    private final double[] radiusRate = new double[4];
    private final double[] motorAngle = new double[MOTORS];
    private final double[] motorVelocity = new double[MOTORS];
    private final double[] motorTorque = new double[MOTORS];
    private final double[] observedTorque = new double[MOTORS];
    private final double[] stopTorque = new double[MOTORS];
    private final double[] stopStiffness = new double[MOTORS];
    private final double[] stopDamping = new double[MOTORS];
    private final double[] swingTorque = new double[4];
    private final double[] radialForce = new double[4];
    private final double[] position = new double[3];
    private final double[] quaternion = new double[4];
    private final double[] velocity = new double[3];
    private final double[] previousVelocity = new double[3];
    private final double[] angularVelocity = new double[3];
    private final double[] rotation = new double[9];
    private final double[] initialSwing = new double[4];
    private final double[] initialRadius = new double[4];

    private long simTimeNs;
    private long readSequence;
    private double periodEnergyJ;
    private double lastPeriodEnergyJ;
    private long rejectedCommands;
    private boolean started;
    private boolean closed;

    public MinitaurSim(RobotSpec spec, SimConfig config) {
        this.spec = spec;
        this.config = config;
        this.leg = new FiveBarLeg(spec.upperLegLengthM(), spec.lowerLegLengthM());
        this.body = new MinitaurBody(spec, config.groundFriction, config.footFrictionMin);
        this.drive = new ExtensionDrive(leg);
        drive.inertia(body.massModel().extensionInertiaKgM2());
        this.pdLatencySteps = (int) (config.pdLatencyNs / SimConfig.SUBSTEP_NS);
        int maxLatencySteps = (int) (Math.max(config.controlLatencyMaxNs, config.pdLatencyNs) / SimConfig.SUBSTEP_NS);
        this.history = new double[maxLatencySteps + 2][H_STRIDE];
    }

    /** A simulator of the standard Minitaur with the given settings. */
    public static MinitaurSim create(SimConfig config) {
        return new MinitaurSim(RobotSpec.minitaur(), config);
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    public SimConfig config() {
        return config;
    }

    @Override
    public void start() {
        if (!started) {
            reset(config.seed);
        }
    }

    /**
     * Starts a new episode: draws the randomised parameters from {@code seed}, puts the robot at rest
     * in the standing pose with its toes on the ground, and zeroes time and energy.
     */
    public void reset(long seed) {
        random.reseed(seed);
        double newBaseScale = random.uniform(config.massScaleMin, config.massScaleMax);
        double newLegScale = random.uniform(config.massScaleMin, config.massScaleMax);
        footFriction = random.uniform(config.footFrictionMin, config.footFrictionMax);
        voltageV = random.uniform(config.voltageMinV, config.voltageMaxV);
        viscousDamping = random.uniform(config.viscousDampingMin, config.viscousDampingMax);
        for (int m = 0; m < MOTORS; m++) {
            strength[m] = random.uniform(config.motorStrengthMin, config.motorStrengthMax);
        }
        long latencyMs = Math.round(random.uniform(config.controlLatencyMinNs / 1e6, config.controlLatencyMaxNs / 1e6));
        controlLatencySteps = (int) latencyMs;
        for (int i = 0; i < 3; i++) {
            gyroBias[i] = config.gyroBiasRadPerS * random.nextGaussian();
        }
        if (config.randomizesMass() || newBaseScale != baseMassScale || newLegScale != legMassScale) {
            body.rebuild(newBaseScale, newLegScale);
            drive.inertia(body.massModel().extensionInertiaKgM2());
            baseMassScale = newBaseScale;
            legMassScale = newLegScale;
        }
        body.setFootFriction(footFriction);

        double e0 = spec.neutralExtensionRad();
        double r0 = leg.radiusM(e0);
        for (int i = 0; i < 4; i++) {
            initialSwing[i] = 0.0;
            initialRadius[i] = r0;
            drive.set(i, e0, 0.0);
        }
        body.setPose(r0 + MinitaurBody.TOE_RADIUS_M, initialSwing, initialRadius);
        body.readJoints(swing, swingRate, radius, radiusRate);
        overheat.reset();
        active.clear();
        spec.standingPose(targetRad);
        simTimeNs = 0L;
        readSequence = 0L;
        periodEnergyJ = 0.0;
        lastPeriodEnergyJ = 0.0;
        historyHead = 0;
        historyCount = 0;
        previousVelocity[0] = previousVelocity[1] = previousVelocity[2] = 0.0;
        sample();
        started = true;
    }

    @Override
    public void read(SensorFrame out) {
        if (!started) {
            reset(config.seed);
        }
        double[] h = historyAt(controlLatencySteps);
        out.timestampNs = simTimeNs;
        out.sequence = ++readSequence;
        int n = Math.min(out.motorCount, MOTORS);
        for (int m = 0; m < n; m++) {
            out.motorAngleRad[m] = h[H_ANGLE + m] + noise(config.motorAngleNoiseRad);
            out.motorVelocityRadPerS[m] = h[H_VEL + m] + noise(config.motorVelocityNoiseRadPerS);
            out.motorTorqueNm[m] = h[H_TORQUE + m];
        }
        out.rollRad = h[H_RPY] + noise(config.attitudeNoiseRad);
        out.pitchRad = h[H_RPY + 1] + noise(config.attitudeNoiseRad);
        out.yawRad = h[H_RPY + 2] + noise(config.attitudeNoiseRad);
        out.rollRateRadPerS = h[H_RATE] + gyroBias[0] + noise(config.gyroNoiseRadPerS);
        out.pitchRateRadPerS = h[H_RATE + 1] + gyroBias[1] + noise(config.gyroNoiseRadPerS);
        out.yawRateRadPerS = h[H_RATE + 2] + gyroBias[2] + noise(config.gyroNoiseRadPerS);
        out.accelXMps2 = h[H_ACCEL] + noise(config.accelNoiseMps2);
        out.accelYMps2 = h[H_ACCEL + 1] + noise(config.accelNoiseMps2);
        out.accelZMps2 = h[H_ACCEL + 2] + noise(config.accelNoiseMps2);
        out.validMask = n == MOTORS ? SensorFrame.VALID_ALL
                : SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;
        out.estopPressed = false;
    }

    @Override
    public void write(MotorCommand command) {
        if (!started) {
            reset(config.seed);
        }
        if (command == null || command.motorCount != MOTORS) {
            rejectedCommands++;
        } else {
            active.copyFrom(command);
            for (int m = 0; m < MOTORS; m++) {
                double t = command.positionRad[m];
                targetRad[m] = Double.isFinite(t) ? spec.clampPosition(m, t) : motorAngle[m];
                if (!Double.isFinite(active.feedforwardTorqueNm[m])) {
                    active.feedforwardTorqueNm[m] = 0.0;
                }
            }
        }
        periodEnergyJ = 0.0;
        int substeps = config.substepsPerControl();
        for (int k = 0; k < substeps; k++) {
            substep();
        }
        lastPeriodEnergyJ = periodEnergyJ;
    }

    /** One 1 ms physics step with the motor model evaluated on PD-latency-old readings. */
    private void substep() {
        double[] pd = historyAt(pdLatencySteps);
        double dtS = SimConfig.SUBSTEP_NS * 1e-9;
        double power = 0.0;
        MotorCommand.Mode mode = active.mode;
        for (int m = 0; m < MOTORS; m++) {
            double kp = active.customGains ? active.kp[m] : config.kp;
            double kd = active.customGains ? active.kd[m] : config.kd;
            double pwm;
            if (mode == MotorCommand.Mode.POSITION) {
                pwm = MotorModel.pwm(kp, kd, pd[H_ANGLE + m], pd[H_VEL + m], targetRad[m])
                        + active.feedforwardTorqueNm[m] * MotorModel.RESISTANCE_OHM
                        / (MotorModel.TORQUE_CONSTANT_NM_PER_A * voltageV);
                pwm = pwm < -1 ? -1 : (pwm > 1 ? 1 : pwm);
            } else if (mode == MotorCommand.Mode.DAMP) {
                pwm = MotorModel.pwm(0.0, kd, 0.0, pd[H_VEL + m], 0.0);
            } else {
                pwm = 0.0;
            }
            double tau;
            if (mode == MotorCommand.Mode.OFF) {
                tau = 0.0;
            } else if (config.accurateMotorModel) {
                tau = MotorModel.torqueNm(pwm, motorVelocity[m], voltageV, viscousDamping, strength[m]);
            } else {
                tau = strength[m] * MotorModel.observedTorqueNm(pwm, voltageV);
            }
            if (config.overheatCutoff) {
                tau = overheat.filter(m, tau, SimConfig.SUBSTEP_NS);
            }
            motorTorque[m] = tau;
            observedTorque[m] = mode == MotorCommand.Mode.OFF ? 0.0 : MotorModel.observedTorqueNm(pwm, voltageV);
            power += tau * motorVelocity[m];
        }
        periodEnergyJ += Math.abs(power) * dtS;
        for (int m = 0; m < MOTORS; m++) {
            double q = motorAngle[m];
            double v = motorVelocity[m];
            double stop = 0.0;
            double stiffness = 0.0;
            double damping = 0.0;
            if (q > spec.maxPositionRad(m)) {
                stiffness = TRAVEL_STOP_STIFFNESS_NM_PER_RAD;
                damping = v > 0 ? TRAVEL_STOP_DAMPING_NM_PER_RADPS : 0.0;
                stop = -stiffness * (q - spec.maxPositionRad(m)) - damping * v;
            } else if (q < spec.minPositionRad(m)) {
                stiffness = TRAVEL_STOP_STIFFNESS_NM_PER_RAD;
                damping = v < 0 ? TRAVEL_STOP_DAMPING_NM_PER_RADPS : 0.0;
                stop = stiffness * (spec.minPositionRad(m) - q) - damping * v;
            }
            stopTorque[m] = stop;
            stopStiffness[m] = stiffness;
            stopDamping[m] = damping;
        }
        for (int i = 0; i < 4; i++) {
            // Virtual work: tauA dmA + tauB dmB = d (tauB - tauA) ds + (tauA + tauB) de; the extension
            // part drives the motors' side of the linkage, which pulls the toe (ExtensionDrive).
            int a = 2 * i;
            int b = 2 * i + 1;
            swingTorque[i] = spec.legSwingSign(i) * (motorTorque[b] + stopTorque[b] - motorTorque[a] - stopTorque[a]);
            radialForce[i] = drive.toeForceN(i, radius[i], radiusRate[i]);
        }
        body.applyJointForces(swingTorque, radialForce);
        body.step(dtS);
        body.readJoints(swing, swingRate, radius, radiusRate);
        for (int i = 0; i < 4; i++) {
            int a = 2 * i;
            int b = 2 * i + 1;
            drive.step(i, motorTorque[a] + motorTorque[b] + stopTorque[a] + stopTorque[b],
                    stopStiffness[a] + stopStiffness[b], stopDamping[a] + stopDamping[b], radius[i], radiusRate[i], dtS);
        }
        simTimeNs += SimConfig.SUBSTEP_NS;
        sample();
    }

    /** Reads the base, derives motor-space and IMU values from the legs' state and appends them to the history. */
    private void sample() {
        for (int i = 0; i < 4; i++) {
            double d = spec.legSwingSign(i);
            double e = drive.angleRad(i);
            double eRate = drive.rateRadPerS(i);
            motorAngle[2 * i] = e - d * swing[i];
            motorAngle[2 * i + 1] = e + d * swing[i];
            motorVelocity[2 * i] = eRate - d * swingRate[i];
            motorVelocity[2 * i + 1] = eRate + d * swingRate[i];
        }
        body.readBase(position, quaternion, velocity, angularVelocity);
        Rotations.matrix(quaternion, rotation);

        historyHead = (historyHead + 1) % history.length;
        if (historyCount < history.length) {
            historyCount++;
        }
        double[] h = history[historyHead];
        h[H_TIME] = simTimeNs;
        System.arraycopy(motorAngle, 0, h, H_ANGLE, MOTORS);
        System.arraycopy(motorVelocity, 0, h, H_VEL, MOTORS);
        System.arraycopy(observedTorque, 0, h, H_TORQUE, MOTORS);
        Rotations.rollPitchYaw(quaternion, h, H_RPY);
        Rotations.worldToBody(rotation, angularVelocity[0], angularVelocity[1], angularVelocity[2], h, H_RATE);
        double invDt = historyCount > 1 ? 1e9 / SimConfig.SUBSTEP_NS : 0.0;
        // accelerometer: specific force f = a - g = dv/dt + (0, 0, g), in the body frame
        double ax = (velocity[0] - previousVelocity[0]) * invDt;
        double ay = (velocity[1] - previousVelocity[1]) * invDt;
        double az = (velocity[2] - previousVelocity[2]) * invDt + MinitaurBody.GRAVITY_MPS2;
        Rotations.worldToBody(rotation, ax, ay, az, h, H_ACCEL);
        previousVelocity[0] = velocity[0];
        previousVelocity[1] = velocity[1];
        previousVelocity[2] = velocity[2];
    }

    /** The history entry {@code stepsAgo} substeps before the newest (the oldest kept if fewer). */
    private double[] historyAt(int stepsAgo) {
        int back = Math.min(stepsAgo, historyCount - 1);
        int idx = historyHead - back;
        if (idx < 0) {
            idx += history.length;
        }
        return history[idx];
    }

    private double noise(double std) {
        return std == 0.0 ? 0.0 : std * random.nextGaussian();
    }

    // ---- read-only views for tasks, rendering and tests (true state, no latency or noise) ----

    /** Base centre of mass in world coordinates (x forward at start, z up), metres. */
    public void basePosition(double[] out) {
        out[0] = position[0];
        out[1] = position[1];
        out[2] = position[2];
    }

    /** Base linear velocity in world coordinates, m/s. */
    public void baseVelocity(double[] out) {
        out[0] = velocity[0];
        out[1] = velocity[1];
        out[2] = velocity[2];
    }

    /** True roll, pitch, yaw of the base (Z-Y-X Euler angles), rad. */
    public void baseRollPitchYaw(double[] out) {
        Rotations.rollPitchYaw(quaternion, out, 0);
    }

    /** Base orientation quaternion (x, y, z, w). */
    public void baseQuaternion(double[] out) {
        System.arraycopy(quaternion, 0, out, 0, 4);
    }

    /** True motor angles now (no latency, no noise). */
    public void motorAngles(double[] out) {
        System.arraycopy(motorAngle, 0, out, 0, MOTORS);
    }

    /** True motor velocities now. */
    public void motorVelocities(double[] out) {
        System.arraycopy(motorVelocity, 0, out, 0, MOTORS);
    }

    /** Shaft torques applied in the last substep, N.m. */
    public void motorTorques(double[] out) {
        System.arraycopy(motorTorque, 0, out, 0, MOTORS);
    }

    /** Which toes touch the ground now (toe height within a few mm of its radius). */
    public void footContacts(boolean[] out) {
        for (int i = 0; i < 4; i++) {
            out[i] = toeWorldZ(i) <= MinitaurBody.TOE_RADIUS_M + CONTACT_TOLERANCE_M;
        }
    }

    /**
     * World positions of one leg's points: hip, front knee, back knee, toe (12 values, x y z each),
     * from the five-bar geometry at the current motor angles.
     */
    public void legPoints(int legIndex, double[] out) {
        double hx = body.hipX(legIndex);
        double hy = body.hipY(legIndex);
        double e = drive.angleRad(legIndex);
        double s = swing[legIndex];
        double l1 = spec.upperLegLengthM();
        toWorld(hx, hy, 0.0, out, 0);
        toWorld(hx + l1 * Math.sin(s + e), hy, -l1 * Math.cos(s + e), out, 3);
        toWorld(hx + l1 * Math.sin(s - e), hy, -l1 * Math.cos(s - e), out, 6);
        toWorld(hx + radius[legIndex] * Math.sin(s), hy, -radius[legIndex] * Math.cos(s), out, 9);
    }

    /** Toe centre of one leg as the physics engine has it (for checking the serial-leg equivalence). */
    public void toePhysicsPosition(int legIndex, double[] out) {
        body.toeWorldPosition(legIndex, out);
    }

    /** Mechanical energy the motors put in during the last control period, |sum tau qdot| dt summed over substeps, J. */
    public double lastPeriodEnergyJ() {
        return lastPeriodEnergyJ;
    }

    /** Simulated time since the episode's reset. */
    public long simTimeNs() {
        return simTimeNs;
    }

    /** A clock reading the simulated time, for runtimes driving this backend in lockstep. */
    public NanoClock clock() {
        return this::simTimeNs;
    }

    /** Commands ignored because they had the wrong motor count. */
    public long rejectedCommands() {
        return rejectedCommands;
    }

    /** Battery voltage drawn for this episode. */
    public double voltageV() {
        return voltageV;
    }

    /** Control (observation) latency of this episode in ms. */
    public int controlLatencyMs() {
        return controlLatencySteps;
    }

    /** Total simulated mass of this episode (randomised masses included), kg. */
    public double totalMassKg() {
        return body.massModel().totalMassKg();
    }

    /** Current motor command mode and targets in effect (after clamping). */
    public double targetRad(int motor) {
        return targetRad[motor];
    }

    private double toeWorldZ(int legIndex) {
        double s = swing[legIndex];
        double px = body.hipX(legIndex) + radius[legIndex] * Math.sin(s);
        double py = body.hipY(legIndex);
        double pz = -radius[legIndex] * Math.cos(s);
        return rotation[6] * px + rotation[7] * py + rotation[8] * pz + position[2];
    }

    private void toWorld(double x, double y, double z, double[] out, int offset) {
        out[offset] = rotation[0] * x + rotation[1] * y + rotation[2] * z + position[0];
        out[offset + 1] = rotation[3] * x + rotation[4] * y + rotation[5] * z + position[1];
        out[offset + 2] = rotation[6] * x + rotation[7] * y + rotation[8] * z + position[2];
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            body.close();
        }
    }
}
