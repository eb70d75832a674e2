package dev.chromatic.sim.cheetah;

import com.jme3.bullet.MultiBody;
import com.jme3.bullet.MultiBodyLink;
import com.jme3.bullet.MultiBodySpace;
import com.jme3.bullet.PhysicsSpace;
import com.jme3.bullet.collision.shapes.CapsuleCollisionShape;
import com.jme3.bullet.collision.shapes.CompoundCollisionShape;
import com.jme3.bullet.collision.shapes.PlaneCollisionShape;
import com.jme3.bullet.objects.MultiBodyCollider;
import com.jme3.bullet.objects.PhysicsRigidBody;
import com.jme3.math.Matrix3f;
import com.jme3.math.Plane;
import com.jme3.math.Quaternion;
import com.jme3.math.Vector3f;
import dev.chromatic.sim.SeededRandom;
import dev.chromatic.sim.classic.ClassicEnv;
import dev.chromatic.sim.physics.BulletNatives;

/**
 * HalfCheetah (17 observations, 6 actions: the paper's Table 2 shape 17-41-6) on Bullet's
 * Featherstone multibody, after gym's {@code HalfCheetah-v2}: the {@link CheetahModel} body, 1000
 * steps of 0.05 s (the model's 0.01 s time step times gym's frame skip of 5), reward = forward
 * velocity of the torso over the step - 0.1 x sum of squared controls, no early termination.
 *
 * <p>Observation: rootz (height change from 0.7 m), rooty (torso pitch), the six joint angles, then
 * the nine velocities (rootx, rootz, rooty, the six joints), gym's {@code qpos[1:]} and
 * {@code qvel}. Action: six controls clipped to [-1, 1], torque = gear x control. Reset: every
 * position uniform in +-0.1 and every velocity 0.1 x a standard normal around zero, drawn from the
 * seed.
 *
 * <p>What differs from MuJoCo: Bullet's contacts are rigid with friction 0.4 where MuJoCo's are
 * soft; joint stiffness, damping and the range limits are torques applied at every physics substep
 * (a stiff stop, damped, never pulling, stands in for MuJoCo's soft limit constraint); the joint
 * armature (0.1 kg.m^2 of MuJoCo's model) has no Bullet counterpart and is left out, so the legs
 * are lighter to swing than MuJoCo's; physics runs in {@link #SUBSTEPS} substeps per control step.
 * Returns are therefore comparable in kind, not equal, to MuJoCo's.
 *
 * <p>A reset restores the whole state and drops the contact caches (the multibody leaves the space
 * and comes back), so an episode depends only on its seed, not on the episodes before it.
 * {@link #step} never allocates. Not thread-safe: one instance per thread.
 */
public final class HalfCheetahEnv implements ClassicEnv {

    public static final String ID = "halfcheetah";
    public static final int MAX_STEPS = 1000;
    public static final double CONTROL_DT_S = 0.05;
    /**
     * Physics substeps per control step: 2 ms each, the longest at which the joint dampers and
     * stops stay stable without MuJoCo's armature (at 5 ms the feet oscillate without bound).
     */
    public static final int SUBSTEPS = 25;
    public static final double CONTROL_COST = 0.1;
    public static final double RESET_NOISE = 0.1;
    static final double LIMIT_STIFFNESS_NM_PER_RAD = 400.0;
    static final double LIMIT_DAMPING_NM_PER_RADPS = 1.0;
    private static final double GRAVITY_MPS2 = 9.81;
    /** The root slides are massless in MuJoCo; Bullet's links need a little. */
    private static final float ROOT_LINK_MASS_KG = 1e-3f;
    private static final int ROOT_LINKS = 3;
    private static final int GROUND_GROUP = 1;
    private static final int BODY_GROUP = 2;

    private final CheetahModel model = new CheetahModel();
    private final MultiBodySpace space;
    private final PhysicsRigidBody ground;
    private final MultiBody body;
    /** rootx, rootz, rooty (the torso), then the six leg bodies. */
    private final MultiBodyLink[] links = new MultiBodyLink[ROOT_LINKS + CheetahModel.JOINTS];
    private final MultiBodyCollider[] colliders = new MultiBodyCollider[CheetahModel.BODIES];
    private final SeededRandom random = new SeededRandom(0);
    private final double[] qpos = new double[9];
    private final double[] qvel = new double[9];
    private final double[] control = new double[CheetahModel.JOINTS];
    private final double[] bodyAngle = new double[CheetahModel.BODIES];
    private final double[][] bodyOrigin = new double[CheetahModel.BODIES][2];
    private final Vector3f tmpVec = new Vector3f();
    private final Quaternion tmpRotation = new Quaternion();
    private final Matrix3f tmpMatrix = new Matrix3f();
    private double startX;
    private int steps;
    private boolean closed;

    public HalfCheetahEnv() {
        BulletNatives.load();
        space = new MultiBodySpace(new Vector3f(-1000f, -10f, -10f), new Vector3f(1000f, 10f, 10f),
                PhysicsSpace.BroadphaseType.DBVT);
        space.setGravity(new Vector3f(0f, 0f, (float) -GRAVITY_MPS2));
        space.useDeterministicDispatch(true);
        ground = new PhysicsRigidBody(new PlaneCollisionShape(new Plane(Vector3f.UNIT_Z, 0f)), 0f);
        // Bullet multiplies the two frictions: 1 x 0.4 is the model's 0.4
        ground.setFriction(1f);
        ground.setCollisionGroup(GROUND_GROUP);
        ground.setCollideWithGroups(BODY_GROUP);
        space.addCollisionObject(ground);
        body = build();
        space.addMultiBody(body);
    }

    private MultiBody build() {
        MultiBody mb = new MultiBody(links.length, 1f, new Vector3f(1f, 1f, 1f), true, false);
        Vector3f rootInertia = new Vector3f(1e-5f, 1e-5f, 1e-5f);
        Quaternion identity = new Quaternion();
        links[0] = mb.configurePrismaticLink(ROOT_LINK_MASS_KG, rootInertia, null, identity, Vector3f.UNIT_X,
                new Vector3f(), new Vector3f(), true);
        links[1] = mb.configurePrismaticLink(ROOT_LINK_MASS_KG, rootInertia, links[0], identity, Vector3f.UNIT_Z,
                new Vector3f(0f, 0f, (float) CheetahModel.TORSO_HEIGHT_M), new Vector3f(), true);
        for (int b = 0; b < CheetahModel.BODIES; b++) {
            float inertia = (float) model.inertiaYKgM2(b);
            Vector3f principal = new Vector3f(inertia, inertia, inertia);
            Vector3f pivotToCom = new Vector3f((float) model.com(b, 0), 0f, (float) model.com(b, 1));
            int parent = CheetahModel.PARENT[b];
            MultiBodyLink parentLink;
            Vector3f parentComToPivot;
            if (parent < 0) {
                parentLink = links[1];
                parentComToPivot = new Vector3f();
            } else {
                parentLink = links[ROOT_LINKS - 1 + parent];
                parentComToPivot = new Vector3f((float) (CheetahModel.BODY_POS[b][0] - model.com(parent, 0)), 0f,
                        (float) (CheetahModel.BODY_POS[b][1] - model.com(parent, 1)));
            }
            MultiBodyLink link = mb.configureRevoluteLink((float) model.massKg(b), principal, parentLink, identity,
                    Vector3f.UNIT_Y, parentComToPivot, pivotToCom, true);
            links[ROOT_LINKS - 1 + b] = link;
            colliders[b] = link.addCollider(shapeOf(b));
            colliders[b].setFriction((float) CheetahModel.FRICTION);
            colliders[b].setRestitution(0f);
            colliders[b].setCollisionGroup(BODY_GROUP);
            colliders[b].setCollideWithGroups(GROUND_GROUP);
        }
        return mb;
    }

    /** The body's capsules in its centre-of-mass frame. */
    private CompoundCollisionShape shapeOf(int b) {
        CompoundCollisionShape shape = new CompoundCollisionShape(2);
        for (double[] c : CheetahModel.CAPSULES) {
            if ((int) c[0] != b) {
                continue;
            }
            CapsuleCollisionShape capsule = new CapsuleCollisionShape((float) CheetahModel.CAPSULE_RADIUS_M,
                    (float) (2 * c[4]), PhysicsSpace.AXIS_Z);
            Matrix3f rotation = new Quaternion().fromAngleNormalAxis((float) c[3], Vector3f.UNIT_Y).toRotationMatrix();
            shape.addChildShape(capsule, new Vector3f((float) (c[1] - model.com(b, 0)), 0f,
                    (float) (c[2] - model.com(b, 1))), rotation);
        }
        return shape;
    }

    public CheetahModel model() {
        return model;
    }

    @Override
    public int observationDim() {
        return 17;
    }

    @Override
    public int actionDim() {
        return CheetahModel.JOINTS;
    }

    @Override
    public int maxSteps() {
        return MAX_STEPS;
    }

    @Override
    public int stepCount() {
        return steps;
    }

    @Override
    public long controlPeriodNs() {
        return Math.round(CONTROL_DT_S * 1e9);
    }

    @Override
    public double actionBound() {
        return 1.0;
    }

    @Override
    public void reset(long seed) {
        random.reseed(seed);
        for (int i = 0; i < qpos.length; i++) {
            qpos[i] = random.uniform(-RESET_NOISE, RESET_NOISE);
        }
        for (int i = 0; i < qvel.length; i++) {
            qvel[i] = RESET_NOISE * random.nextGaussian();
        }
        setState(qpos, qvel);
    }

    /**
     * Starts an episode from an exact state: {@code qpos} = rootx, rootz, rooty, six joint angles;
     * {@code qvel} their rates (MuJoCo's order). Arrays are copied.
     */
    public void setState(double[] positions, double[] velocities) {
        ensureOpen();
        if (positions.length != qpos.length || velocities.length != qvel.length) {
            throw new IllegalArgumentException(ID + ": a state is " + qpos.length + " positions and " + qvel.length
                    + " velocities, got " + positions.length + " and " + velocities.length);
        }
        // leaving the space drops the body's contact manifolds and their warm-start impulses
        space.removeMultiBody(body);
        body.clearVelocities();
        body.clearForcesAndTorques();
        body.clearConstraintForces();
        for (int i = 0; i < links.length; i++) {
            links[i].setJointPosition(0, (float) positions[i]);
            links[i].setJointVelocity(0, (float) velocities[i]);
        }
        placeColliders(positions);
        space.addMultiBody(body);
        readState();
        startX = qpos[0];
        steps = 0;
    }

    /** Bullet moves colliders after a step: put them where the new joint positions have them. */
    private void placeColliders(double[] positions) {
        forwardKinematics(positions);
        for (int b = 0; b < CheetahModel.BODIES; b++) {
            double angle = bodyAngle[b];
            double cx = model.com(b, 0);
            double cz = model.com(b, 1);
            tmpVec.set((float) (bodyOrigin[b][0] + cx * Math.cos(angle) + cz * Math.sin(angle)), 0f,
                    (float) (bodyOrigin[b][1] - cx * Math.sin(angle) + cz * Math.cos(angle)));
            colliders[b].setPhysicsLocation(tmpVec);
            tmpRotation.fromAngleNormalAxis((float) angle, Vector3f.UNIT_Y).toRotationMatrix(tmpMatrix);
            colliders[b].setPhysicsRotation(tmpMatrix);
        }
    }

    /** Each body's pitch and origin (x, z) in the world for MuJoCo positions {@code positions}. */
    private void forwardKinematics(double[] positions) {
        for (int b = 0; b < CheetahModel.BODIES; b++) {
            int parent = CheetahModel.PARENT[b];
            double angle;
            double x;
            double z;
            if (parent < 0) {
                angle = positions[2];
                x = positions[0];
                z = CheetahModel.TORSO_HEIGHT_M + positions[1];
            } else {
                angle = bodyAngle[parent] + positions[ROOT_LINKS + b - 1];
                double pa = bodyAngle[parent];
                double px = CheetahModel.BODY_POS[b][0];
                double pz = CheetahModel.BODY_POS[b][1];
                x = bodyOrigin[parent][0] + px * Math.cos(pa) + pz * Math.sin(pa);
                z = bodyOrigin[parent][1] - px * Math.sin(pa) + pz * Math.cos(pa);
            }
            bodyAngle[b] = angle;
            bodyOrigin[b][0] = x;
            bodyOrigin[b][1] = z;
        }
    }

    private void readState() {
        for (int i = 0; i < links.length; i++) {
            qpos[i] = links[i].jointPosition(0);
            qvel[i] = links[i].jointVelocity(0);
        }
    }

    @Override
    public void observe(double[] out) {
        System.arraycopy(qpos, 1, out, 0, 8);
        System.arraycopy(qvel, 0, out, 8, 9);
    }

    @Override
    public double step(double[] action) {
        ensureOpen();
        double controlCost = 0;
        for (int j = 0; j < CheetahModel.JOINTS; j++) {
            double a = action[j];
            // NaN holds the joint unpowered rather than poisoning the physics
            a = a != a ? 0.0 : Math.max(-1.0, Math.min(1.0, a));
            control[j] = a;
            controlCost += a * a;
        }
        double xBefore = qpos[0];
        double dt = CONTROL_DT_S / SUBSTEPS;
        for (int k = 0; k < SUBSTEPS; k++) {
            for (int j = 0; j < CheetahModel.JOINTS; j++) {
                MultiBodyLink link = links[ROOT_LINKS + j];
                double q = link.jointPosition(0);
                double qd = link.jointVelocity(0);
                double torque = CheetahModel.GEAR[j] * control[j] - CheetahModel.STIFFNESS[j] * q
                        - CheetahModel.DAMPING[j] * qd + limitTorque(q, qd, CheetahModel.RANGE_RAD[j]);
                link.addJointTorque(0, (float) torque);
            }
            space.update((float) dt, 0, false, false, false);
        }
        readState();
        steps++;
        return (qpos[0] - xBefore) / CONTROL_DT_S - CONTROL_COST * controlCost;
    }

    /** A stiff, damped stop beyond the joint's range that pushes back and never pulls. */
    static double limitTorque(double q, double qd, double[] range) {
        if (q > range[1]) {
            return Math.min(0.0, -LIMIT_STIFFNESS_NM_PER_RAD * (q - range[1]) - LIMIT_DAMPING_NM_PER_RADPS * qd);
        }
        if (q < range[0]) {
            return Math.max(0.0, LIMIT_STIFFNESS_NM_PER_RAD * (range[0] - q) - LIMIT_DAMPING_NM_PER_RADPS * qd);
        }
        return 0.0;
    }

    @Override
    public boolean done() {
        return steps >= MAX_STEPS;
    }

    @Override
    public double distanceM() {
        return qpos[0] - startX;
    }

    /** MuJoCo's qpos (rootx, rootz, rooty, six joints) into {@code out}. */
    public void positions(double[] out) {
        System.arraycopy(qpos, 0, out, 0, qpos.length);
    }

    /** Lowest point of the body's capsules above the ground (m), from the current positions. */
    public double lowestPointM() {
        forwardKinematics(qpos);
        double lowest = Double.MAX_VALUE;
        for (double[] c : CheetahModel.CAPSULES) {
            int b = (int) c[0];
            double angle = bodyAngle[b];
            double z = bodyOrigin[b][1] - c[1] * Math.sin(angle) + c[2] * Math.cos(angle);
            double axisZ = Math.cos(angle + c[3]);
            lowest = Math.min(lowest, z - Math.abs(axisZ) * c[4] - CheetahModel.CAPSULE_RADIUS_M);
        }
        return lowest;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(ID + ": the environment is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            space.removeMultiBody(body);
            space.removeCollisionObject(ground);
            space.destroy();
        }
    }
}
