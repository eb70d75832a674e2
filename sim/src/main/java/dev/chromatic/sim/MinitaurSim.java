package dev.chromatic.sim;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.kinematics.FiveBarLeg;
import dev.chromatic.sim.motor.MotorModel;
import dev.chromatic.sim.motor.OverheatGuard;
import dev.chromatic.sim.motor.ServoModel;
import dev.chromatic.sim.motor.ServoPwm;
import dev.chromatic.sim.physics.ExtensionDrive;
import dev.chromatic.sim.physics.MinitaurBody;

/**
 * The Minitaur-style quadruped on Bullet physics, behind the HAL. Lockstep: {@link #write} queues a
 * command (it takes effect one action latency later) and advances one control period (nominal,
 * +- the episode's jitter) in 1 ms physics substeps, running the motor model ({@link MotorModel}) at
 * every substep, or for the servo robot ({@code robot=minitaur-servo}) the PCA9685's pulse train
 * ({@link ServoPwm}) and the servos' own position loops ({@link ServoModel}); {@link #read} returns the sensors as they were one observation latency ago, plus
 * noise and IMU biases, with a fresh sequence number. {@link #reset(long)} starts a new episode in
 * the same physics space, drawing the domain randomisation and, with {@code start=powerup}, the
 * starting posture from the seed. Same seed and same calls give bitwise the same trajectory.
 *
 * <p>Random streams: the episode's parameters and start come from one stream of the seed, sensor
 * noise from a second, timing jitter and pushes from a third, so reading more or less often never
 * changes the physics.
 *
 * <p>{@code read} and {@code write} never allocate and never throw: a command with a wrong motor
 * count is ignored (motors keep the previous command) and counted; NaN targets hold the measured
 * angle. Not thread-safe: one instance per thread (the native library is not thread-safe per space).
 */
public final class MinitaurSim implements Hardware {

    /** A toe counts as touching the ground when its centre is this close to toe-radius height. */
    static final double CONTACT_TOLERANCE_M = 0.003;
    /**
     * Each motor's travel ends at the spec's position limits (the robot's servos have a fixed travel):
     * beyond a limit a stiff stop pushes back, damped both ways and never pulling, so that a leg
     * folding onto it is caught rather than thrown back. (Damped only on the way in, the stop gave
     * back on the way out the energy of a limp robot's fall: an unpowered standing start bounced off
     * its folded legs and rolled over sideways in about one start in ten.)
     */
    static final double TRAVEL_STOP_STIFFNESS_NM_PER_RAD = 50.0;
    static final double TRAVEL_STOP_DAMPING_NM_PER_RADPS = 1.0;
    /** Gap left under the lowest point of a power-up start (rounding must not make it interpenetrate). */
    static final double START_CLEARANCE_M = 1e-4;

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
    private final boolean servos;
    private final ServoModel servo = new ServoModel(MOTORS);
    private final ServoPwm pwm;
    /** Servo robot: what a frame reports as motor angles, the last commanded angles (as the device does). */
    private final double[] echoRad = new double[MOTORS];
    private final SeededRandom random = new SeededRandom(0);
    private final SeededRandom sensorRandom = new SeededRandom(0);
    private final SeededRandom disturbanceRandom = new SeededRandom(0);
    private final PowerUpStart powerUp = new PowerUpStart();
    private final double[] levelled = new double[2];
    private final double[][] history;
    private int historyHead;
    private int historyCount;

    // commands written but not yet in effect (action latency), oldest at pendingHead
    private final MotorCommand[] pending;
    private final double[][] pendingTargetRad;
    private final long[] pendingEffectiveNs;
    private int pendingHead;
    private int pendingCount;

    private final MotorCommand active = new MotorCommand(MOTORS);
    private final double[] targetRad = new double[MOTORS];

    // this episode's draws
    private StartPose startPose = StartPose.STANDING;
    private final double[] strength = new double[MOTORS];
    private final double[] ktScale = new double[MOTORS];
    private double voltageV;
    private double viscousDamping;
    private double kneeFrictionNm;
    private double footFriction;
    private double baseMassScale = 1.0;
    private double legMassScale = 1.0;
    private double baseInertiaScale = 1.0;
    private double legInertiaScale = 1.0;
    private long pwmPhaseNs;
    private int controlLatencySteps;
    private long actionLatencyNs;
    private int jitterSteps;
    private final int pdLatencySteps;
    private double motorAngleNoise;
    private double motorVelocityNoise;
    private double attitudeNoise;
    private double gyroNoise;
    private double accelNoise;
    private final double[] gyroBias = new double[3];
    private final double[] accelBias = new double[3];

    // pushes
    private long nextPushNs;
    private long pushEndNs;
    private final double[] pushForce = new double[3];
    /** Robot mass over the Minitaur's: what the configured push forces are multiplied by. */
    private final double pushScale;

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
    private final double[] rpy = new double[3];

    private long simTimeNs;
    private long readSequence;
    private long lastControlPeriodNs;
    private double periodEnergyJ;
    private double lastPeriodEnergyJ;
    private long rejectedCommands;
    private boolean started;
    private boolean closed;

    public MinitaurSim(RobotSpec spec, SimConfig config) {
        if (!spec.name().equals(config.robot)) {
            throw new IllegalArgumentException("robot: the settings simulate '" + config.robot + "', the spec is '"
                    + spec.name() + "'");
        }
        this.spec = spec;
        this.config = config;
        this.servos = config.servos();
        this.pushScale = spec.totalMassKg() == RobotSpec.minitaur().totalMassKg() ? 1.0
                : spec.totalMassKg() / RobotSpec.minitaur().totalMassKg();
        this.pwm = new ServoPwm(spec, dev.chromatic.hal.device.Pca9685.INTERNAL_OSCILLATOR_HZ, config.servoPwmRateHz);
        this.leg = new FiveBarLeg(spec.upperLegLengthM(), spec.lowerLegLengthM());
        this.body = new MinitaurBody(spec, config.groundFriction, config.footFrictionMin);
        body.solver(config.solverIterations, config.frictionCone, config.articulatedWarmStart);
        this.drive = new ExtensionDrive(leg);
        drive.inertia(body.massModel().extensionInertiaKgM2());
        this.pdLatencySteps = (int) (config.pdLatencyNs / SimConfig.SUBSTEP_NS);
        int maxLatencySteps = (int) (Math.max(config.controlLatencyMaxNs, config.pdLatencyNs) / SimConfig.SUBSTEP_NS);
        this.history = new double[maxLatencySteps + 2][H_STRIDE];
        long shortestPeriodNs = config.controlPeriodNs - config.controlJitterMaxNs;
        int queue = (int) (config.actionLatencyMaxNs / shortestPeriodNs) + 2;
        this.pending = new MotorCommand[queue];
        this.pendingTargetRad = new double[queue][MOTORS];
        this.pendingEffectiveNs = new long[queue];
        for (int i = 0; i < queue; i++) {
            pending[i] = new MotorCommand(MOTORS);
        }
    }

    /** A simulator of the robot the settings name ({@code robot}: the Minitaur unless set). */
    public static MinitaurSim create(SimConfig config) {
        return new MinitaurSim(RobotSpec.named(config.robot), config);
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    /** What the robot's hardware measures ({@link RobotSpec#measuredMask()}): the servo robot only its IMU. */
    @Override
    public int measuredMask() {
        return spec.measuredMask();
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
     * Starts a new episode: draws the randomised parameters from {@code seed}, places the robot
     * ({@code start=standing}: at rest in the standing pose with its toes on the ground;
     * {@code start=powerup}: a power-up posture drawn from the seed, its lowest point touching the
     * ground), motors off until the first command takes effect, and zeroes time and energy.
     */
    public void reset(long seed) {
        random.reseed(seed);
        sensorRandom.reseed(seed, 1);
        disturbanceRandom.reseed(seed, 2);
        drawParameters();
        if (config.randomizesMass() || baseMassScale != body.baseMassScale() || legMassScale != body.legMassScale()
                || baseInertiaScale != body.baseInertiaScale() || legInertiaScale != body.legInertiaScale()) {
            body.rebuild(baseMassScale, legMassScale, baseInertiaScale, legInertiaScale);
            drive.inertia(body.massModel().extensionInertiaKgM2());
        }
        body.setFootFriction(footFriction);
        drive.kneeFriction(kneeFrictionNm);
        if (config.start == SimConfig.Start.POWERUP) {
            placePowerUpStart();
        } else {
            placeStanding();
        }
        body.readJoints(swing, swingRate, radius, radiusRate);
        overheat.reset();
        servo.reset();
        pwm.reset(pwmPhaseNs);
        spec.standingPose(echoRad);
        active.clear();
        pendingHead = 0;
        pendingCount = 0;
        spec.standingPose(targetRad);
        nextPushNs = config.pushes() ? intervalNs(config.pushIntervalMinNs, config.pushIntervalMaxNs) : Long.MAX_VALUE;
        pushEndNs = 0L;
        pushForce[0] = pushForce[1] = pushForce[2] = 0.0;
        simTimeNs = 0L;
        readSequence = 0L;
        lastControlPeriodNs = 0L;
        periodEnergyJ = 0.0;
        lastPeriodEnergyJ = 0.0;
        historyHead = 0;
        historyCount = 0;
        body.readBase(position, quaternion, velocity, angularVelocity);
        previousVelocity[0] = velocity[0];
        previousVelocity[1] = velocity[1];
        previousVelocity[2] = velocity[2];
        sample();
        started = true;
    }

    /** The episode's randomised parameters, in a fixed order from the episode stream. */
    private void drawParameters() {
        baseMassScale = random.uniform(config.massScaleMin, config.massScaleMax);
        legMassScale = random.uniform(config.massScaleMin, config.massScaleMax);
        footFriction = random.uniform(config.footFrictionMin, config.footFrictionMax);
        voltageV = random.uniform(config.voltageMinV, config.voltageMaxV);
        viscousDamping = random.uniform(config.viscousDampingMin, config.viscousDampingMax);
        for (int m = 0; m < MOTORS; m++) {
            strength[m] = random.uniform(config.motorStrengthMin, config.motorStrengthMax);
        }
        controlLatencySteps = wholeMs(config.controlLatencyMinNs, config.controlLatencyMaxNs);
        for (int i = 0; i < 3; i++) {
            gyroBias[i] = random.uniform(config.gyroBiasMinRadPerS, config.gyroBiasMaxRadPerS);
        }
        baseInertiaScale = random.uniform(config.inertiaScaleMin, config.inertiaScaleMax);
        legInertiaScale = random.uniform(config.inertiaScaleMin, config.inertiaScaleMax);
        for (int m = 0; m < MOTORS; m++) {
            ktScale[m] = random.uniform(config.torqueConstantScaleMin, config.torqueConstantScaleMax);
        }
        kneeFrictionNm = random.uniform(config.jointFrictionMinNm, config.jointFrictionMaxNm);
        actionLatencyNs = wholeMs(config.actionLatencyMinNs, config.actionLatencyMaxNs) * SimConfig.SUBSTEP_NS;
        jitterSteps = wholeMs(config.controlJitterMinNs, config.controlJitterMaxNs);
        motorAngleNoise = random.uniform(config.motorAngleNoiseMinRad, config.motorAngleNoiseMaxRad);
        motorVelocityNoise = random.uniform(config.motorVelocityNoiseMinRadPerS, config.motorVelocityNoiseMaxRadPerS);
        attitudeNoise = random.uniform(config.attitudeNoiseMinRad, config.attitudeNoiseMaxRad);
        gyroNoise = random.uniform(config.gyroNoiseMinRadPerS, config.gyroNoiseMaxRadPerS);
        accelNoise = random.uniform(config.accelNoiseMinMps2, config.accelNoiseMaxMps2);
        for (int i = 0; i < 3; i++) {
            accelBias[i] = random.uniform(config.accelBiasMinMps2, config.accelBiasMaxMps2);
        }
        if (servos) {
            // drawn last, and only for servos, so that the Minitaur's episodes stay what they were
            for (int m = 0; m < MOTORS; m++) {
                servo.set(m, random.uniform(config.servoStallTorqueMinNm, config.servoStallTorqueMaxNm),
                        random.uniform(config.servoNoLoadSpeedMinRadPerS, config.servoNoLoadSpeedMaxRadPerS),
                        random.uniform(config.servoLagMinNs, config.servoLagMaxNs) * 1e-9,
                        random.uniform(config.servoDeadbandMinUs, config.servoDeadbandMaxUs) / pwm.usPerRad(m));
            }
            // the PWM cycle runs free of the control loop: its phase at reset is arbitrary
            pwmPhaseNs = Math.round(random.uniform(0.0, pwm.periodNs()));
        }
    }

    /** A duration drawn uniformly in [minNs, maxNs] and rounded to whole 1 ms substeps. */
    private int wholeMs(long minNs, long maxNs) {
        return (int) Math.round(random.uniform(minNs / 1e6, maxNs / 1e6));
    }

    private long intervalNs(long minNs, long maxNs) {
        return Math.round(disturbanceRandom.uniform(minNs, maxNs));
    }

    private void placeStanding() {
        startPose = StartPose.STANDING;
        double e0 = spec.neutralExtensionRad();
        double r0 = leg.radiusM(e0);
        for (int i = 0; i < 4; i++) {
            swing[i] = 0.0;
            radius[i] = r0;
            drive.set(i, e0, 0.0);
        }
        body.setPose(standingHeightM(), swing, radius);
    }

    private void placePowerUpStart() {
        powerUp.draw(random, spec);
        startPose = powerUp.pose;
        for (int i = 0; i < 4; i++) {
            double e = powerUp.extensionRad[i];
            swing[i] = powerUp.swingRad[i];
            swingRate[i] = powerUp.swingRate[i];
            radius[i] = leg.radiusM(e);
            radiusRate[i] = leg.radiusDerivative(e) * powerUp.extensionRate[i];
            drive.set(i, e, powerUp.extensionRate[i]);
        }
        if (powerUp.setDown()) {
            body.levelToes(swing, radius, levelled);
            powerUp.rollRad = levelled[0];
            powerUp.pitchRad = levelled[1];
        }
        double heightM = START_CLEARANCE_M - body.lowestPointZ(powerUp.rollRad, powerUp.pitchRad, swing, radius);
        body.setState(heightM, powerUp.rollRad, powerUp.pitchRad, powerUp.velocityMps, powerUp.angularVelocityRadPerS,
                swing, swingRate, radius, radiusRate);
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
        if (servos) {
            for (int m = 0; m < n; m++) {
                out.motorAngleRad[m] = echoRad[m];
                out.motorVelocityRadPerS[m] = 0.0;
                out.motorTorqueNm[m] = 0.0;
            }
        } else {
            for (int m = 0; m < n; m++) {
                out.motorAngleRad[m] = h[H_ANGLE + m] + noise(motorAngleNoise);
                out.motorVelocityRadPerS[m] = h[H_VEL + m] + noise(motorVelocityNoise);
                out.motorTorqueNm[m] = h[H_TORQUE + m];
            }
        }
        out.rollRad = h[H_RPY] + noise(attitudeNoise);
        out.pitchRad = h[H_RPY + 1] + noise(attitudeNoise);
        out.yawRad = h[H_RPY + 2] + noise(attitudeNoise);
        out.rollRateRadPerS = h[H_RATE] + gyroBias[0] + noise(gyroNoise);
        out.pitchRateRadPerS = h[H_RATE + 1] + gyroBias[1] + noise(gyroNoise);
        out.yawRateRadPerS = h[H_RATE + 2] + gyroBias[2] + noise(gyroNoise);
        out.accelXMps2 = h[H_ACCEL] + accelBias[0] + noise(accelNoise);
        out.accelYMps2 = h[H_ACCEL + 1] + accelBias[1] + noise(accelNoise);
        out.accelZMps2 = h[H_ACCEL + 2] + accelBias[2] + noise(accelNoise);
        out.validMask = (n == MOTORS ? SensorFrame.VALID_ALL
                : SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL) & spec.measuredMask();
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
            enqueue(command);
        }
        periodEnergyJ = 0.0;
        int substeps = config.substepsPerControl() + disturbanceRandom.symmetricInt(jitterSteps);
        if (substeps < 1) {
            substeps = 1;
        }
        for (int k = 0; k < substeps; k++) {
            substep();
        }
        lastControlPeriodNs = substeps * SimConfig.SUBSTEP_NS;
        lastPeriodEnergyJ = periodEnergyJ;
    }

    /** Queues a command to take effect one action latency from now, its targets clamped now. */
    private void enqueue(MotorCommand command) {
        if (pendingCount == pending.length) {
            applyOldestPending();
        }
        int slot = (pendingHead + pendingCount) % pending.length;
        MotorCommand copy = pending[slot];
        copy.copyFrom(command);
        double[] targets = pendingTargetRad[slot];
        for (int m = 0; m < MOTORS; m++) {
            double t = command.positionRad[m];
            targets[m] = Double.isFinite(t) ? spec.clampPosition(m, t) : (servos ? echoRad[m] : motorAngle[m]);
            if (servos && command.mode == MotorCommand.Mode.POSITION) {
                echoRad[m] = targets[m];
            }
            if (!Double.isFinite(copy.feedforwardTorqueNm[m])) {
                copy.feedforwardTorqueNm[m] = 0.0;
            }
        }
        pendingEffectiveNs[slot] = simTimeNs + actionLatencyNs;
        pendingCount++;
    }

    private void applyOldestPending() {
        active.copyFrom(pending[pendingHead]);
        System.arraycopy(pendingTargetRad[pendingHead], 0, targetRad, 0, MOTORS);
        if (servos) {
            // the command reaches the PCA9685's registers; DAMP and OFF switch the outputs off (limp)
            for (int m = 0; m < MOTORS; m++) {
                if (active.mode == MotorCommand.Mode.POSITION) {
                    pwm.write(m, targetRad[m]);
                } else {
                    pwm.off(m);
                }
            }
        }
        pendingHead = (pendingHead + 1) % pending.length;
        pendingCount--;
    }

    /** One 1 ms physics step with the motor model evaluated on PD-latency-old readings. */
    private void substep() {
        while (pendingCount > 0 && pendingEffectiveNs[pendingHead] - simTimeNs <= 0) {
            applyOldestPending();
        }
        double[] pd = historyAt(pdLatencySteps);
        double dtS = SimConfig.SUBSTEP_NS * 1e-9;
        double power = 0.0;
        MotorCommand.Mode mode = active.mode;
        if (servos) {
            pwm.advance(simTimeNs);
        }
        for (int m = 0; m < MOTORS && servos; m++) {
            double tau = servo.torqueNm(m, pwm.pulsing(m), pwm.setpointRad(m), motorAngle[m], motorVelocity[m], dtS);
            motorTorque[m] = tau;
            observedTorque[m] = 0.0;
            power += tau * motorVelocity[m];
        }
        for (int m = 0; m < MOTORS && !servos; m++) {
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
                tau = MotorModel.torqueNm(pwm, motorVelocity[m], voltageV, ktScale[m], viscousDamping, strength[m]);
            } else {
                tau = strength[m] * MotorModel.observedTorqueNm(pwm, voltageV, ktScale[m]);
            }
            if (config.overheatCutoff) {
                tau = overheat.filter(m, tau, SimConfig.SUBSTEP_NS);
            }
            motorTorque[m] = tau;
            observedTorque[m] = mode == MotorCommand.Mode.OFF ? 0.0 : MotorModel.observedTorqueNm(pwm, voltageV, ktScale[m]);
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
                stop = -TRAVEL_STOP_STIFFNESS_NM_PER_RAD * (q - spec.maxPositionRad(m)) - TRAVEL_STOP_DAMPING_NM_PER_RADPS * v;
            } else if (q < spec.minPositionRad(m)) {
                stop = TRAVEL_STOP_STIFFNESS_NM_PER_RAD * (spec.minPositionRad(m) - q) - TRAVEL_STOP_DAMPING_NM_PER_RADPS * v;
            }
            // a stop pushes back and absorbs the impact, but never pulls the leg into itself
            if (q > spec.maxPositionRad(m) ? stop < 0 : (q < spec.minPositionRad(m) && stop > 0)) {
                stiffness = TRAVEL_STOP_STIFFNESS_NM_PER_RAD;
                damping = TRAVEL_STOP_DAMPING_NM_PER_RADPS;
            } else {
                stop = 0.0;
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
        push();
        body.step(dtS);
        body.readJoints(swing, swingRate, radius, radiusRate);
        for (int i = 0; i < 4; i++) {
            int a = 2 * i;
            int b = 2 * i + 1;
            drive.step(i, motorTorque[a] + motorTorque[b] + stopTorque[a] + stopTorque[b],
                    stopStiffness[a] + stopStiffness[b], stopDamping[a] + stopDamping[b], radius[i], radiusRate[i], dtS);
        }
        simTimeNs += SimConfig.SUBSTEP_NS;
        body.readBase(position, quaternion, velocity, angularVelocity);
        sample();
    }

    /**
     * Starts, applies and ends pushes: a horizontal force in a random direction, then a random pause.
     * The push forces are the Minitaur's (6 kg); a robot of another mass gets them scaled by its mass,
     * so that a push changes its base velocity as much.
     */
    private void push() {
        if (simTimeNs - nextPushNs >= 0) {
            double magnitude = disturbanceRandom.uniform(config.pushForceMinN, config.pushForceMaxN) * pushScale;
            double direction = disturbanceRandom.uniform(0.0, 2 * Math.PI);
            pushForce[0] = magnitude * Math.cos(direction);
            pushForce[1] = magnitude * Math.sin(direction);
            pushEndNs = simTimeNs + intervalNs(config.pushDurationMinNs, config.pushDurationMaxNs);
            nextPushNs = pushEndNs + intervalNs(config.pushIntervalMinNs, config.pushIntervalMaxNs);
        }
        if (simTimeNs - pushEndNs < 0) {
            body.addBaseForce(pushForce[0], pushForce[1], pushForce[2]);
        } else {
            pushForce[0] = pushForce[1] = 0.0;
        }
    }

    /** Derives motor-space and IMU values from the state just read and appends them to the history. */
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
        return std == 0.0 ? 0.0 : std * sensorRandom.nextGaussian();
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

    /** True base angular velocity in the base frame (roll, pitch, yaw rate; what a perfect gyro reads), rad/s. */
    public void baseBodyRates(double[] out) {
        Rotations.worldToBody(rotation, angularVelocity[0], angularVelocity[1], angularVelocity[2], out, 0);
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

    /** Action latency of this episode in ms: a written command takes effect this long after {@code write}. */
    public int actionLatencyMs() {
        return (int) (actionLatencyNs / SimConfig.SUBSTEP_NS);
    }

    /** This episode's control-period jitter bound in ms (each period is nominal +- up to this). */
    public int controlJitterMs() {
        return jitterSteps;
    }

    /** Length of the control period the last {@code write} advanced (nominal +- jitter). */
    public long lastControlPeriodNs() {
        return lastControlPeriodNs;
    }

    /** The posture this episode started in ({@link StartPose#STANDING} for {@code start=standing}). */
    public StartPose startPose() {
        return startPose;
    }

    /** Height of the base's centre when the robot stands in the neutral pose with its toes on the ground, m. */
    public double standingHeightM() {
        return leg.radiusM(spec.neutralExtensionRad()) + MinitaurBody.TOE_RADIUS_M;
    }

    /** Height above the ground of the robot's lowest point now (chassis corners or toe spheres), m. */
    public double lowestPointHeightM() {
        Rotations.rollPitchYaw(quaternion, rpy, 0);
        return position[2] + body.lowestPointZ(rpy[0], rpy[1], swing, radius);
    }

    /** Fills {@code out} with the true state now (no latency, noise or bias). No allocation. */
    public void groundTruth(GroundTruth out) {
        out.timeNs = simTimeNs;
        System.arraycopy(position, 0, out.positionM, 0, 3);
        System.arraycopy(velocity, 0, out.velocityMps, 0, 3);
        Rotations.rollPitchYaw(quaternion, rpy, 0);
        out.rollRad = rpy[0];
        out.pitchRad = rpy[1];
        out.yawRad = rpy[2];
        Rotations.worldToBody(rotation, angularVelocity[0], angularVelocity[1], angularVelocity[2], out.bodyRateRadPerS, 0);
        System.arraycopy(motorAngle, 0, out.motorAngleRad, 0, MOTORS);
        System.arraycopy(motorVelocity, 0, out.motorVelocityRadPerS, 0, MOTORS);
        System.arraycopy(motorTorque, 0, out.motorTorqueNm, 0, MOTORS);
        footContacts(out.footContact);
        System.arraycopy(pushForce, 0, out.pushForceN, 0, 3);
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
