package dev.chromatic.hal;

import java.util.Arrays;
import java.util.List;

/**
 * The robot every part of chromatic agrees on: motor order, directions and limits, leg geometry,
 * the swing/extension leg coordinates and the neutral standing pose. One spec serves the simulator,
 * the runtime and the device backend. Immutable and thread-safe.
 *
 * <h2>Motor order and leg coordinates</h2>
 * Motors are ordered leg-major: leg 0 front-left, 1 back-left, 2 front-right, 3 back-right; each
 * leg has motor A (index {@code 2*leg}) and motor B (index {@code 2*leg+1}), the two coaxial hip
 * motors of its five-bar linkage. Each motor angle is measured from the leg's downward axis, in
 * the motor's own (mirrored) direction, so that for leg {@code i} with extension {@code e} and
 * swing {@code s}:
 * <pre>
 *   mA = e - d_i * s,   mB = e + d_i * s,     e = (mA + mB) / 2,   s = d_i * (mB - mA) / 2
 * </pre>
 * with {@code d_i = legSwingSign(i)} (+1 on the left, -1 on the right: the right legs are
 * mirrored). Geometrically the two upper links point at {@code s + e} and {@code s - e} from the
 * downward axis (positive toward the front): {@code e} is half the opening between them and
 * {@code s} the direction of the whole leg, positive moving the toe forward. On the left legs
 * motor B drives the front upper link, on the right legs motor A does. The toe lies on the
 * bisector at hip-to-toe distance
 * <pre>
 *   r(e) = L1 cos e + sqrt(L2^2 - L1^2 sin^2 e)      (L1 upper, L2 lower leg length)
 * </pre>
 * so a larger extension angle means a SHORTER leg: e = 0 is the leg fully stretched
 * (r = 0.31 m), the neutral e = pi/2 has both upper links horizontal (r = 0.167 m), and the
 * limits [0.4, 2.4] rad span r = 0.297 m to 0.105 m.
 */
public final class RobotSpec {

    /** Legs of a quadruped. */
    public static final int LEG_COUNT = 4;

    private final String name;
    private final List<String> motorNames;
    private final double[] motorDirection;
    private final double[] minPositionRad;
    private final double[] maxPositionRad;
    private final double maxVelocityRadPerS;
    private final double maxTorqueNm;
    private final double[] legSwingSign;
    private final double upperLegLengthM;
    private final double lowerLegLengthM;
    private final double hipOffsetXM;
    private final double hipOffsetYM;
    private final double minSwingRad;
    private final double maxSwingRad;
    private final double minExtensionRad;
    private final double maxExtensionRad;
    private final double neutralExtensionRad;
    private final double totalMassKg;
    private final int measuredMask;

    private RobotSpec(Builder b) {
        this.name = b.name;
        this.motorNames = List.copyOf(b.motorNames);
        this.motorDirection = b.motorDirection.clone();
        this.minPositionRad = b.minPositionRad.clone();
        this.maxPositionRad = b.maxPositionRad.clone();
        this.maxVelocityRadPerS = b.maxVelocityRadPerS;
        this.maxTorqueNm = b.maxTorqueNm;
        this.legSwingSign = b.legSwingSign.clone();
        this.upperLegLengthM = b.upperLegLengthM;
        this.lowerLegLengthM = b.lowerLegLengthM;
        this.hipOffsetXM = b.hipOffsetXM;
        this.hipOffsetYM = b.hipOffsetYM;
        this.minSwingRad = b.minSwingRad;
        this.maxSwingRad = b.maxSwingRad;
        this.minExtensionRad = b.minExtensionRad;
        this.maxExtensionRad = b.maxExtensionRad;
        this.neutralExtensionRad = b.neutralExtensionRad;
        this.totalMassKg = b.totalMassKg;
        this.measuredMask = b.measuredMask;
    }

    /** Names {@link #named} knows. */
    public static final List<String> NAMES = List.of("minitaur", "minitaur-servo");

    /**
     * The spec called {@code name}: {@code minitaur} or {@code minitaur-servo}.
     *
     * @throws IllegalArgumentException naming the unknown robot and the known ones
     */
    public static RobotSpec named(String name) {
        if ("minitaur".equals(name)) {
            return minitaur();
        }
        if ("minitaur-servo".equals(name)) {
            return minitaurServo();
        }
        throw new IllegalArgumentException("unknown robot '" + name + "', expected one of " + NAMES);
    }

    /**
     * The Minitaur-style quadruped: 6 kg, hips at x = +-0.21 m and y = +-0.0925 m (between the
     * two motors of a leg), upper leg 0.11 m, lower leg 0.20 m,
     * motor speed limit V/Kt = 16 / 0.0954 ~ 168 rad/s, observed torque limit 5.7 N.m.
     */
    public static RobotSpec minitaur() {
        Builder b = new Builder();
        b.name = "minitaur";
        b.motorNames = List.of(
                "front_left_a", "front_left_b", "back_left_a", "back_left_b",
                "front_right_a", "front_right_b", "back_right_a", "back_right_b");
        b.motorDirection = new double[] {1, 1, 1, 1, 1, 1, 1, 1};
        b.minPositionRad = new double[8];
        b.maxPositionRad = new double[8];
        Arrays.fill(b.minPositionRad, -0.4);
        Arrays.fill(b.maxPositionRad, Math.PI - 0.2);
        b.maxVelocityRadPerS = 16.0 / 0.0954;
        b.maxTorqueNm = 5.7;
        b.legSwingSign = new double[] {1, 1, -1, -1};
        b.upperLegLengthM = 0.11;
        b.lowerLegLengthM = 0.20;
        b.hipOffsetXM = 0.21;
        b.hipOffsetYM = 0.0925;
        b.minSwingRad = -0.8;
        b.maxSwingRad = 0.8;
        b.minExtensionRad = 0.4;
        b.maxExtensionRad = 2.4;
        b.neutralExtensionRad = Math.PI / 2;
        b.totalMassKg = 6.0;
        b.measuredMask = SensorFrame.VALID_ALL;
        return b.build();
    }

    /**
     * The hobby build of docs/robot-build.md: the Minitaur's geometry and motor order driven by
     * eight 20 kg.cm class positional servos on a PCA9685. Travel 180 degrees per servo, [0, pi]
     * rad, centred on the standing pose (horns fitted so, as the build guide says); speed limit the
     * no-load speed at the 6 V servo supply, 0.149 s per 60 degrees = 7.0 rad/s; torque limit the
     * stall torque, 2.0 N.m (DSSERVO DS3218 datasheet, interpolated between its 5 V and 6.8 V
     * rows; docs/sim.md). Mass 2.0 kg, the build's parts (docs/sim.md). Servos have no encoders:
     * only the IMU is measured ({@link #measuredMask()}).
     */
    public static RobotSpec minitaurServo() {
        Builder b = minitaur().toBuilder();
        b.name = "minitaur-servo";
        Arrays.fill(b.minPositionRad, 0.0);
        Arrays.fill(b.maxPositionRad, Math.PI);
        b.maxVelocityRadPerS = SERVO_NO_LOAD_SPEED_RAD_PER_S;
        b.maxTorqueNm = SERVO_STALL_TORQUE_NM;
        b.totalMassKg = 2.0;
        b.measuredMask = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;
        return b.build();
    }

    /** No-load speed of the build's servos at 6 V: 60 degrees in 0.149 s (DS3218), rad/s. */
    public static final double SERVO_NO_LOAD_SPEED_RAD_PER_S = (Math.PI / 3) / 0.149;
    /** Stall torque of the build's servos at 6 V: 20.4 kg.cm (DS3218), N.m. */
    public static final double SERVO_STALL_TORQUE_NM = 20.4 * 0.0980665;

    /** A builder holding this spec's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.motorNames = motorNames;
        b.motorDirection = motorDirection.clone();
        b.minPositionRad = minPositionRad.clone();
        b.maxPositionRad = maxPositionRad.clone();
        b.maxVelocityRadPerS = maxVelocityRadPerS;
        b.maxTorqueNm = maxTorqueNm;
        b.legSwingSign = legSwingSign.clone();
        b.upperLegLengthM = upperLegLengthM;
        b.lowerLegLengthM = lowerLegLengthM;
        b.hipOffsetXM = hipOffsetXM;
        b.hipOffsetYM = hipOffsetYM;
        b.minSwingRad = minSwingRad;
        b.maxSwingRad = maxSwingRad;
        b.minExtensionRad = minExtensionRad;
        b.maxExtensionRad = maxExtensionRad;
        b.neutralExtensionRad = neutralExtensionRad;
        b.totalMassKg = totalMassKg;
        b.measuredMask = measuredMask;
        return b;
    }

    public String name() {
        return name;
    }

    public int motorCount() {
        return motorNames.size();
    }

    public int legCount() {
        return LEG_COUNT;
    }

    public String motorName(int motor) {
        return motorNames.get(motor);
    }

    /** +1 or -1: how the physical motor's positive direction relates to the model's. */
    public double motorDirection(int motor) {
        return motorDirection[motor];
    }

    public double minPositionRad(int motor) {
        return minPositionRad[motor];
    }

    public double maxPositionRad(int motor) {
        return maxPositionRad[motor];
    }

    public double maxVelocityRadPerS() {
        return maxVelocityRadPerS;
    }

    public double maxTorqueNm() {
        return maxTorqueNm;
    }

    /** +1 for left legs, -1 for right legs (mirrored swing). */
    public double legSwingSign(int leg) {
        return legSwingSign[leg];
    }

    public double upperLegLengthM() {
        return upperLegLengthM;
    }

    public double lowerLegLengthM() {
        return lowerLegLengthM;
    }

    /** Hip distance from the body centre along x (forward). */
    public double hipOffsetXM() {
        return hipOffsetXM;
    }

    /** Hip distance from the body centre along y (left). */
    public double hipOffsetYM() {
        return hipOffsetYM;
    }

    public double minSwingRad() {
        return minSwingRad;
    }

    public double maxSwingRad() {
        return maxSwingRad;
    }

    public double minExtensionRad() {
        return minExtensionRad;
    }

    public double maxExtensionRad() {
        return maxExtensionRad;
    }

    public double neutralExtensionRad() {
        return neutralExtensionRad;
    }

    public double totalMassKg() {
        return totalMassKg;
    }

    /**
     * The {@link SensorFrame} validity bits this robot's hardware can ever set: every backend of the
     * robot (device, simulator, HIL link) declares the same, so a policy sees the same frames everywhere.
     */
    public int measuredMask() {
        return measuredMask;
    }

    /**
     * Motor angles of one leg from its swing and extension: {@code mA = e - d*s}, {@code mB = e + d*s}.
     * Writes {@code out[2*leg]} and {@code out[2*leg+1]}. No allocation, no clamping.
     */
    public void legToMotorAngles(int leg, double swingRad, double extensionRad, double[] out) {
        double d = legSwingSign[leg];
        out[2 * leg] = extensionRad - d * swingRad;
        out[2 * leg + 1] = extensionRad + d * swingRad;
    }

    /** Swing of one leg from its motor angles: {@code s = d * (mB - mA) / 2}. */
    public double swingOf(int leg, double[] motorAngleRad) {
        return legSwingSign[leg] * (motorAngleRad[2 * leg + 1] - motorAngleRad[2 * leg]) * 0.5;
    }

    /** Extension of one leg from its motor angles: {@code e = (mA + mB) / 2}. */
    public double extensionOf(int leg, double[] motorAngleRad) {
        return (motorAngleRad[2 * leg] + motorAngleRad[2 * leg + 1]) * 0.5;
    }

    /** Fills {@code out} (length {@link #motorCount()}) with the neutral standing pose. */
    public void standingPose(double[] out) {
        for (int leg = 0; leg < LEG_COUNT; leg++) {
            legToMotorAngles(leg, 0.0, neutralExtensionRad, out);
        }
    }

    /**
     * Fills {@code out} with the resting pose: legs folded under the body (swing 0, extension at
     * the spec's maximum, the shortest leg), the pose a powered-down robot is put down in. A robot
     * without motor encoders starts its stand-up from here.
     */
    public void restingPose(double[] out) {
        for (int leg = 0; leg < LEG_COUNT; leg++) {
            legToMotorAngles(leg, 0.0, maxExtensionRad, out);
        }
    }

    /** Clamps a motor target to the position limits of that motor. */
    public double clampPosition(int motor, double positionRad) {
        double lo = minPositionRad[motor];
        double hi = maxPositionRad[motor];
        return positionRad < lo ? lo : (positionRad > hi ? hi : positionRad);
    }

    /** Builds a spec; every field is checked in {@link #build()}. */
    public static final class Builder {
        public String name;
        public List<String> motorNames;
        public double[] motorDirection;
        public double[] minPositionRad;
        public double[] maxPositionRad;
        public double maxVelocityRadPerS;
        public double maxTorqueNm;
        public double[] legSwingSign;
        public double upperLegLengthM;
        public double lowerLegLengthM;
        public double hipOffsetXM;
        public double hipOffsetYM;
        public double minSwingRad;
        public double maxSwingRad;
        public double minExtensionRad;
        public double maxExtensionRad;
        public double neutralExtensionRad;
        public double totalMassKg;
        public int measuredMask = SensorFrame.VALID_ALL;

        /** Validates every field and returns the spec; the message names the bad field. */
        public RobotSpec build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must be set");
            }
            if (motorNames == null || motorNames.size() != 2 * LEG_COUNT) {
                throw new IllegalArgumentException("motorNames must list " + (2 * LEG_COUNT) + " motors");
            }
            int n = motorNames.size();
            requireLength("motorDirection", motorDirection, n);
            requireLength("minPositionRad", minPositionRad, n);
            requireLength("maxPositionRad", maxPositionRad, n);
            requireLength("legSwingSign", legSwingSign, LEG_COUNT);
            for (int i = 0; i < n; i++) {
                if (Math.abs(motorDirection[i]) != 1.0) {
                    throw new IllegalArgumentException("motorDirection[" + i + "] must be +1 or -1");
                }
                if (!(minPositionRad[i] < maxPositionRad[i])) {
                    throw new IllegalArgumentException("minPositionRad[" + i + "] must be < maxPositionRad[" + i + "]");
                }
            }
            requirePositive("maxVelocityRadPerS", maxVelocityRadPerS);
            requirePositive("maxTorqueNm", maxTorqueNm);
            requirePositive("upperLegLengthM", upperLegLengthM);
            requirePositive("lowerLegLengthM", lowerLegLengthM);
            requirePositive("totalMassKg", totalMassKg);
            int essential = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES;
            if ((measuredMask & essential) != essential || (measuredMask & ~SensorFrame.VALID_ALL) != 0) {
                throw new IllegalArgumentException("measuredMask must include attitude and rates and no unknown bits, was "
                        + measuredMask);
            }
            if (!(minSwingRad < maxSwingRad)) {
                throw new IllegalArgumentException("minSwingRad must be < maxSwingRad");
            }
            if (!(minExtensionRad < neutralExtensionRad && neutralExtensionRad < maxExtensionRad)) {
                throw new IllegalArgumentException("neutralExtensionRad must lie inside (minExtensionRad, maxExtensionRad)");
            }
            return new RobotSpec(this);
        }

        private static void requireLength(String field, double[] v, int n) {
            if (v == null || v.length != n) {
                throw new IllegalArgumentException(field + " must have " + n + " entries");
            }
        }

        private static void requirePositive(String field, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(field + " must be a positive finite number, was " + v);
            }
        }
    }
}
