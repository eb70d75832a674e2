package dev.chromatic.sim.physics;

import com.jme3.bullet.MultiBody;
import com.jme3.bullet.MultiBodyLink;
import com.jme3.bullet.MultiBodySpace;
import com.jme3.bullet.PhysicsSpace;
import com.jme3.bullet.SolverInfo;
import com.jme3.bullet.SolverMode;
import com.jme3.bullet.collision.shapes.BoxCollisionShape;
import com.jme3.bullet.collision.shapes.CompoundCollisionShape;
import com.jme3.bullet.collision.shapes.PlaneCollisionShape;
import com.jme3.bullet.collision.shapes.SphereCollisionShape;
import com.jme3.bullet.objects.MultiBodyCollider;
import com.jme3.bullet.objects.PhysicsRigidBody;
import com.jme3.math.Matrix3f;
import com.jme3.math.Plane;
import com.jme3.math.Quaternion;
import com.jme3.math.Transform;
import com.jme3.math.Vector3f;
import dev.chromatic.hal.RobotSpec;

/**
 * The quadruped as a Bullet (Featherstone) multibody on a flat ground plane, z up: a floating base
 * and per leg a serial pair equivalent to the five-bar (a hip revolute joint for the swing angle,
 * axis -y so positive swing moves the toe forward, then a prismatic joint along the leg for the
 * hip-to-toe distance) carrying a spherical toe. 9 bodies, 8 degrees of freedom in the legs.
 *
 * <p>Owns one physics space for its whole life; {@link #rebuild} swaps only the multibody (for mass
 * randomisation). All getters fill caller arrays. Not thread-safe: one instance per thread.
 */
public final class MinitaurBody implements AutoCloseable {

    public static final double TOE_RADIUS_M = 0.015;
    public static final double GRAVITY_MPS2 = 9.81;
    private static final int GROUND_GROUP = 1;
    private static final int BODY_GROUP = 2;
    private static final int TOE_GROUP = 4;

    private final RobotSpec spec;
    private final MultiBodySpace space;
    private final PhysicsRigidBody ground;
    private final double[] hipX = new double[4];
    private final double[] hipY = new double[4];
    private final Vector3f tmpVec = new Vector3f();
    private final Transform tmpTransform = new Transform();
    private final Quaternion identity = new Quaternion();
    private final Quaternion tmpRotation = new Quaternion();
    private final Quaternion tmpRotation2 = new Quaternion();
    private final Quaternion tmpRotation3 = new Quaternion();
    private final Matrix3f tmpMatrix = new Matrix3f();
    private final double[] rot = new double[9];
    private final double[] zero3 = new double[3];
    private final double[] zeroRates = new double[4];
    private final Vector3f minusY = new Vector3f(0f, -1f, 0f);
    private MultiBody body;
    private MultiBodyCollider[] toes = new MultiBodyCollider[4];
    private MultiBodyCollider baseCollider;
    private MultiBodyLink[] links = new MultiBodyLink[8];
    private MassModel mass;
    private double footFriction;
    private double baseMassScale;
    private double legMassScale;
    private double baseInertiaScale;
    private double legInertiaScale;

    public MinitaurBody(RobotSpec spec, double groundFriction, double footFriction) {
        BulletNatives.load();
        this.spec = spec;
        this.footFriction = footFriction;
        for (int leg = 0; leg < 4; leg++) {
            hipX[leg] = isFront(leg) ? spec.hipOffsetXM() : -spec.hipOffsetXM();
            hipY[leg] = isLeft(leg) ? spec.hipOffsetYM() : -spec.hipOffsetYM();
        }
        space = new MultiBodySpace(new Vector3f(-200f, -200f, -20f), new Vector3f(200f, 200f, 20f),
                PhysicsSpace.BroadphaseType.DBVT);
        space.setGravity(new Vector3f(0f, 0f, (float) -GRAVITY_MPS2));
        // Colliders made by rebuild() get new broadphase ids, so the pair cache would hand contacts to the
        // solver in an order that depends on the space's history; sorted pairs keep a reused space
        // bitwise equal to a fresh one.
        space.useDeterministicDispatch(true);
        ground = new PhysicsRigidBody(new PlaneCollisionShape(new Plane(Vector3f.UNIT_Z, 0f)), 0f);
        ground.setFriction((float) groundFriction);
        ground.setCollisionGroup(GROUND_GROUP);
        ground.setCollideWithGroups(GROUND_GROUP | BODY_GROUP | TOE_GROUP);
        space.addCollisionObject(ground);
        rebuild(1.0, 1.0);
    }

    /** Leg order of {@link RobotSpec}: 0 front-left, 1 back-left, 2 front-right, 3 back-right. */
    public static boolean isFront(int leg) {
        return leg == 0 || leg == 2;
    }

    public static boolean isLeft(int leg) {
        return leg < 2;
    }

    /** Replaces the multibody with one of scaled masses, in the same space (4-10 ms cheaper than a new space). */
    public void rebuild(double baseMassScale, double legMassScale) {
        rebuild(baseMassScale, legMassScale, 1.0, 1.0);
    }

    /** As {@link #rebuild(double, double)}, rotational inertias further scaled (see {@link MassModel}). */
    public void rebuild(double baseMassScale, double legMassScale, double baseInertiaScale, double legInertiaScale) {
        if (body != null) {
            space.removeMultiBody(body);
        }
        // a robot of another total mass (the servo build) has the same legs and a lighter or heavier base
        double specScale = spec.totalMassKg() == MassModel.NOMINAL_TOTAL_KG ? 1.0
                : (spec.totalMassKg() - MassModel.NOMINAL_LEGS_KG) / (MassModel.NOMINAL_TOTAL_KG - MassModel.NOMINAL_LEGS_KG);
        mass = new MassModel(spec.hipOffsetXM(), spec.upperLegLengthM(), spec.lowerLegLengthM(),
                spec.neutralExtensionRad(), baseMassScale * specScale, legMassScale, baseInertiaScale,
                legInertiaScale);
        this.baseMassScale = baseMassScale;
        this.legMassScale = legMassScale;
        this.baseInertiaScale = baseInertiaScale;
        this.legInertiaScale = legInertiaScale;
        body = new MultiBody(8, (float) mass.baseMassKg(), vec(mass.baseInertia(0), mass.baseInertia(1),
                mass.baseInertia(2)), false, false);
        CompoundCollisionShape chassis = new CompoundCollisionShape(3);
        for (double[] b : MassModel.CHASSIS_BOXES) {
            chassis.addChildShape(new BoxCollisionShape((float) (b[0] / 2), (float) (b[1] / 2), (float) (b[2] / 2)),
                    0f, (float) b[3], 0f);
        }
        baseCollider = body.addBaseCollider(chassis);
        Vector3f swingInertia = vec(mass.swingInertia(0), mass.swingInertia(1), mass.swingInertia(2));
        Vector3f radialInertia = vec(mass.radialInertia(0), mass.radialInertia(1), mass.radialInertia(2));
        float comAboveToe = (float) mass.radialComAboveToeM();
        for (int leg = 0; leg < 4; leg++) {
            MultiBodyLink swing = body.configureRevoluteLink((float) mass.swingMassKg(), swingInertia, null,
                    identity, new Vector3f(0f, -1f, 0f), vec(hipX[leg], hipY[leg], 0), new Vector3f(), true);
            // The joint offset sits in parent2Pivot: Bullet places a prismatic link's centre of mass
            // at parent2Pivot + q * axis (its pivot2Link does not move the link), so q is the hip-to-toe distance.
            MultiBodyLink radial = body.configurePrismaticLink((float) mass.radialMassKg(), radialInertia, swing,
                    identity, new Vector3f(0f, 0f, -1f), new Vector3f(0f, 0f, comAboveToe), new Vector3f(), true);
            CompoundCollisionShape toeShape = new CompoundCollisionShape(1);
            toeShape.addChildShape(new SphereCollisionShape((float) TOE_RADIUS_M), 0f, 0f, -comAboveToe);
            MultiBodyCollider toe = radial.addCollider(toeShape);
            toe.setFriction((float) footFriction);
            links[2 * leg] = swing;
            links[2 * leg + 1] = radial;
            toes[leg] = toe;
        }
        // Body and toes collide with the ground only. Self-contacts (a toe wedged between the ground and
        // the chassis or another toe, as in an unpowered collapse) are resolved by Bullet's multibody
        // solver with error-reduction velocities that launched the robot; the legs sit outboard of
        // the chassis and only meet it when swung under it.
        baseCollider.setCollisionGroup(BODY_GROUP);
        baseCollider.setCollideWithGroups(GROUND_GROUP);
        for (MultiBodyCollider toe : toes) {
            toe.setCollisionGroup(TOE_GROUP);
            toe.setCollideWithGroups(GROUND_GROUP);
        }
        space.addMultiBody(body);
    }

    /**
     * Sets Bullet's contact solver for the rest of this body's life: sequential-impulse iterations
     * per step, friction as the implicit cone or as two independent directions (a pyramid), and
     * whether contact impulses start from the previous step's. (10, true, false) is Bullet's own
     * setting and leaves the solver as it was.
     */
    public void solver(int iterations, boolean frictionCone, boolean articulatedWarmStart) {
        if (iterations < 1) {
            throw new IllegalArgumentException("solver iterations must be >= 1, was " + iterations);
        }
        SolverInfo info = space.getSolverInfo();
        info.setNumIterations(iterations);
        int mode = info.mode();
        mode = frictionCone ? mode & ~SolverMode.NoCone : mode | SolverMode.NoCone;
        mode = articulatedWarmStart ? mode | SolverMode.ArticulatedWarmStart : mode & ~SolverMode.ArticulatedWarmStart;
        info.setMode(mode);
    }

    /** Bullet's solver iterations per step now. */
    public int solverIterations() {
        return space.getSolverInfo().numIterations();
    }

    /** Bullet's solver mode bits now ({@link SolverMode}). */
    public int solverMode() {
        return space.getSolverInfo().mode();
    }

    public MassModel massModel() {
        return mass;
    }

    /** Scales the current multibody was built with. */
    public double baseMassScale() {
        return baseMassScale;
    }

    public double legMassScale() {
        return legMassScale;
    }

    public double baseInertiaScale() {
        return baseInertiaScale;
    }

    public double legInertiaScale() {
        return legInertiaScale;
    }

    public void setFootFriction(double friction) {
        footFriction = friction;
        for (MultiBodyCollider toe : toes) {
            toe.setFriction((float) friction);
        }
    }

    public void setGroundFriction(double friction) {
        ground.setFriction((float) friction);
    }

    /** Puts the base at (0, 0, heightM), level and at rest, with the given leg joint states. */
    public void setPose(double heightM, double[] swingRad, double[] radiusM) {
        zero3[0] = zero3[1] = zero3[2] = 0.0;
        for (int leg = 0; leg < 4; leg++) {
            zeroRates[leg] = 0.0;
        }
        setState(heightM, 0.0, 0.0, zero3, zero3, swingRad, zeroRates, radiusM, zeroRates);
    }

    /**
     * Puts the base at (0, 0, heightM) with the given roll and pitch (yaw 0), world linear and
     * angular velocity, and the leg joints at the given positions and rates.
     */
    public void setState(double heightM, double rollRad, double pitchRad, double[] velocityMps,
            double[] angularVelocityRadPerS, double[] swingRad, double[] swingRate, double[] radiusM,
            double[] radiusRate) {
        orientation(rollRad, pitchRad, tmpRotation);
        tmpTransform.loadIdentity();
        tmpVec.set(0f, 0f, (float) heightM);
        tmpTransform.setTranslation(tmpVec);
        tmpTransform.setRotation(tmpRotation);
        body.setBaseTransform(tmpTransform);
        body.clearVelocities();
        tmpVec.set((float) velocityMps[0], (float) velocityMps[1], (float) velocityMps[2]);
        body.setBaseVelocity(tmpVec);
        tmpVec.set((float) angularVelocityRadPerS[0], (float) angularVelocityRadPerS[1], (float) angularVelocityRadPerS[2]);
        body.setBaseAngularVelocity(tmpVec);
        for (int leg = 0; leg < 4; leg++) {
            links[2 * leg].setJointPosition(0, (float) swingRad[leg]);
            links[2 * leg].setJointVelocity(0, (float) swingRate[leg]);
            links[2 * leg + 1].setJointPosition(0, (float) radiusM[leg]);
            links[2 * leg + 1].setJointVelocity(0, (float) radiusRate[leg]);
        }
        body.clearForcesAndTorques();
        body.clearConstraintForces();
        // Bullet moves the colliders only after a step; place them now so the first step's
        // collision detection does not see them at their stale (or initial, origin) positions.
        rotationMatrix(rollRad, pitchRad, rot);
        tmpRotation.toRotationMatrix(tmpMatrix);
        baseCollider.setPhysicsRotation(tmpMatrix);
        tmpVec.set(0f, 0f, (float) heightM);
        baseCollider.setPhysicsLocation(tmpVec);
        float comAboveToe = (float) mass.radialComAboveToeM();
        for (int leg = 0; leg < 4; leg++) {
            double r = radiusM[leg] - comAboveToe;
            double sw = swingRad[leg];
            tmpRotation2.fromAngleNormalAxis((float) sw, minusY);
            tmpRotation.mult(tmpRotation2, tmpRotation3);
            tmpRotation3.toRotationMatrix(tmpMatrix);
            toes[leg].setPhysicsRotation(tmpMatrix);
            double x = hipX[leg] + r * Math.sin(sw);
            double y = hipY[leg];
            double z = -r * Math.cos(sw);
            tmpVec.set((float) (rot[0] * x + rot[1] * y + rot[2] * z), (float) (rot[3] * x + rot[4] * y + rot[5] * z),
                    (float) (heightM + rot[6] * x + rot[7] * y + rot[8] * z));
            toes[leg].setPhysicsLocation(tmpVec);
        }
    }

    /**
     * Height of the lowest point of the robot (chassis boxes and toe spheres) relative to the base's
     * centre, for a base with the given roll and pitch and legs at the given joint positions: a
     * base at height {@code -lowestPointZ(..)} just touches the ground.
     */
    public double lowestPointZ(double rollRad, double pitchRad, double[] swingRad, double[] radiusM) {
        rotationMatrix(rollRad, pitchRad, rot);
        double lowest = Double.MAX_VALUE;
        for (double[] b : MassModel.CHASSIS_BOXES) {
            for (int corner = 0; corner < 8; corner++) {
                double x = ((corner & 1) == 0 ? -0.5 : 0.5) * b[0];
                double y = ((corner & 2) == 0 ? -0.5 : 0.5) * b[1] + b[3];
                double z = ((corner & 4) == 0 ? -0.5 : 0.5) * b[2];
                lowest = Math.min(lowest, rot[6] * x + rot[7] * y + rot[8] * z);
            }
        }
        for (int leg = 0; leg < 4; leg++) {
            double x = hipX[leg] + radiusM[leg] * Math.sin(swingRad[leg]);
            double z = -radiusM[leg] * Math.cos(swingRad[leg]);
            lowest = Math.min(lowest, rot[6] * x + rot[7] * hipY[leg] + rot[8] * z - TOE_RADIUS_M);
        }
        return lowest;
    }

    /**
     * The roll and pitch (into {@code out[0]}, {@code out[1]}) at which the four toes, legs at the
     * given joint positions, lie in one level plane (least squares over the four toes: a robot set
     * down on its feet on flat ground). The toes' plane in the body frame is z = a + b x + c y;
     * the world's up axis in the body frame, (-sin pitch, cos pitch sin roll, cos pitch cos roll),
     * must be its normal (-b, -c, 1) normalised.
     */
    public void levelToes(double[] swingRad, double[] radiusM, double[] out) {
        // normal equations of the plane fit: [n sx sy; sx sxx sxy; sy sxy syy] [a b c] = [sz sxz syz]
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sz = 0, sxz = 0, syz = 0;
        for (int leg = 0; leg < 4; leg++) {
            double x = hipX[leg] + radiusM[leg] * Math.sin(swingRad[leg]);
            double y = hipY[leg];
            double z = -radiusM[leg] * Math.cos(swingRad[leg]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            sz += z;
            sxz += x * z;
            syz += y * z;
        }
        double n = 4;
        double det = n * (sxx * syy - sxy * sxy) - sx * (sx * syy - sxy * sy) + sy * (sx * sxy - sxx * sy);
        // Cramer's rule for b and c (the slopes); the hips span a rectangle, so det > 0
        double detB = n * (sxz * syy - sxy * syz) - sz * (sx * syy - sxy * sy) + sy * (sx * syz - sxz * sy);
        double detC = n * (sxx * syz - sxz * sxy) - sx * (sx * syz - sxz * sy) + sz * (sx * sxy - sxx * sy);
        double b = detB / det;
        double c = detC / det;
        double norm = Math.sqrt(1 + b * b + c * c);
        out[1] = Math.asin(b / norm);
        out[0] = Math.atan2(-c, 1.0);
    }

    /** Adds a force (world frame, N) at the base's centre of mass for the next step. */
    public void addBaseForce(double fx, double fy, double fz) {
        tmpVec.set((float) fx, (float) fy, (float) fz);
        body.addBaseForce(tmpVec);
    }

    /** Quaternion of a roll about x then pitch about y (Z-Y-X Euler angles with yaw 0): R = Ry(pitch) Rx(roll). */
    private static void orientation(double rollRad, double pitchRad, Quaternion out) {
        double cr = Math.cos(rollRad / 2);
        double sr = Math.sin(rollRad / 2);
        double cp = Math.cos(pitchRad / 2);
        double sp = Math.sin(pitchRad / 2);
        out.set((float) (sr * cp), (float) (cr * sp), (float) (-sr * sp), (float) (cr * cp));
    }

    /** Row-major R = Ry(pitch) Rx(roll), body to world. */
    private static void rotationMatrix(double rollRad, double pitchRad, double[] m) {
        double cr = Math.cos(rollRad);
        double sr = Math.sin(rollRad);
        double cp = Math.cos(pitchRad);
        double sp = Math.sin(pitchRad);
        m[0] = cp;
        m[1] = sp * sr;
        m[2] = sp * cr;
        m[3] = 0;
        m[4] = cr;
        m[5] = -sr;
        m[6] = -sp;
        m[7] = cp * sr;
        m[8] = cp * cr;
    }

    /**
     * Reads the leg joints: swing angle and rate, hip-to-toe distance and rate, per leg.
     */
    public void readJoints(double[] swingRad, double[] swingRate, double[] radiusM, double[] radiusRate) {
        for (int leg = 0; leg < 4; leg++) {
            MultiBodyLink s = links[2 * leg];
            MultiBodyLink r = links[2 * leg + 1];
            swingRad[leg] = s.jointPosition(0);
            swingRate[leg] = s.jointVelocity(0);
            radiusM[leg] = r.jointPosition(0);
            radiusRate[leg] = r.jointVelocity(0);
        }
    }

    /**
     * Reads the base state: position (3), orientation quaternion (x, y, z, w), linear velocity (3)
     * and angular velocity (3), all in world coordinates.
     */
    public void readBase(double[] position, double[] quaternion, double[] velocity, double[] angularVelocity) {
        body.baseTransform(tmpTransform);
        Vector3f t = tmpTransform.getTranslation();
        position[0] = t.x;
        position[1] = t.y;
        position[2] = t.z;
        Quaternion q = tmpTransform.getRotation();
        quaternion[0] = q.getX();
        quaternion[1] = q.getY();
        quaternion[2] = q.getZ();
        quaternion[3] = q.getW();
        body.baseVelocity(tmpVec);
        velocity[0] = tmpVec.x;
        velocity[1] = tmpVec.y;
        velocity[2] = tmpVec.z;
        body.baseAngularVelocity(tmpVec);
        angularVelocity[0] = tmpVec.x;
        angularVelocity[1] = tmpVec.y;
        angularVelocity[2] = tmpVec.z;
    }

    /** Adds the generalised forces for the next step: hip torque (N.m) and radial force (N) per leg. */
    public void applyJointForces(double[] swingTorqueNm, double[] radialForceN) {
        for (int leg = 0; leg < 4; leg++) {
            links[2 * leg].addJointTorque(0, (float) swingTorqueNm[leg]);
            links[2 * leg + 1].addJointTorque(0, (float) radialForceN[leg]);
        }
    }

    /** Advances the world by one step of {@code dtS} seconds (no contact callbacks into Java). */
    public void step(double dtS) {
        space.update((float) dtS, 0, false, false, false);
    }

    /** Toe centre in world coordinates as Bullet has it (the toe collider's frame plus the toe offset). */
    public void toeWorldPosition(int leg, double[] out) {
        // The collider's transform is current after a step; the link's cached transform lags one step.
        Quaternion q = toes[leg].getPhysicsRotation(tmpRotation);
        Vector3f t = toes[leg].getPhysicsLocation(tmpVec);
        double x = q.getX();
        double y = q.getY();
        double z = q.getZ();
        double w = q.getW();
        double c = -mass.radialComAboveToeM();
        // third column of the rotation matrix times the offset (0, 0, c)
        out[0] = t.x + 2 * (x * z + y * w) * c;
        out[1] = t.y + 2 * (y * z - x * w) * c;
        out[2] = t.z + (1 - 2 * (x * x + y * y)) * c;
    }

    /** Hip position of a leg in the base frame: x (0), y (1). */
    public double hipX(int leg) {
        return hipX[leg];
    }

    public double hipY(int leg) {
        return hipY[leg];
    }

    @Override
    public void close() {
        if (body != null) {
            space.removeMultiBody(body);
            body = null;
        }
        space.removeCollisionObject(ground);
        space.destroy();
    }

    private static Vector3f vec(double x, double y, double z) {
        return new Vector3f((float) x, (float) y, (float) z);
    }
}
