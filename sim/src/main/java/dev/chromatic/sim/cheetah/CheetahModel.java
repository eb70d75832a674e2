package dev.chromatic.sim.cheetah;

/**
 * The planar half-cheetah of the public MJCF model ({@code half_cheetah.xml} of gym's MuJoCo
 * tasks): a torso with a head and two three-segment legs, every part a capsule of radius 0.046 m,
 * every joint a hinge about y, the torso free in the x-z plane (rootx, rootz slides, rooty hinge),
 * 14 kg in all. The numbers below are the model's: body positions, capsule placements and sizes,
 * joint ranges, stiffness, damping and actuator gear.
 *
 * <p>Masses follow the model's {@code inertiafromgeom} + {@code settotalmass="14"}: each capsule's
 * mass is proportional to {@code pi r^2 (2 h) + pi r^3} (the volume MuJoCo 1.5 credits a capsule
 * with, which reproduces gym's published body masses, e.g. torso 6.3603 kg, back foot 1.0692 kg),
 * scaled so the total is 14 kg. Rotational inertia about y is the capsules' (a cylinder plus end
 * caps) moved to the body's centre of mass; only the y inertia matters in the plane.
 *
 * <p>Frames: x forward, z up, bodies in the order torso, bthigh, bshin, bfoot, fthigh, fshin,
 * ffoot; positions are in the parent body's frame, as in the MJCF file.
 */
public final class CheetahModel {

    public static final double TOTAL_MASS_KG = 14.0;
    public static final double CAPSULE_RADIUS_M = 0.046;
    /** Height of the torso's origin above the ground at qpos = 0. */
    public static final double TORSO_HEIGHT_M = 0.7;
    public static final int BODIES = 7;
    /** Actuated joints: bthigh, bshin, bfoot, fthigh, fshin, ffoot. */
    public static final int JOINTS = 6;
    static final String[] BODY_NAMES = {"torso", "bthigh", "bshin", "bfoot", "fthigh", "fshin", "ffoot"};

    /** Parent body of each body (-1: the torso, on the root joints). */
    static final int[] PARENT = {-1, 0, 1, 2, 0, 4, 5};
    /** Body origin (= its joint) in the parent's frame, x and z. */
    static final double[][] BODY_POS = {{0, TORSO_HEIGHT_M}, {-0.5, 0}, {0.16, -0.25}, {-0.28, -0.14}, {0.5, 0},
        {-0.14, -0.24}, {0.13, -0.18}};
    /**
     * Capsules: body, centre x, centre z (body frame), angle of the axis about y from +z
     * (the MJCF {@code axisangle="0 1 0 a"}), half-length. The torso's is {@code fromto="-.5 0 0 .5 0 0"}.
     */
    static final double[][] CAPSULES = {
        {0, 0.0, 0.0, Math.PI / 2, 0.5},
        {0, 0.6, 0.1, 0.87, 0.15},
        {1, 0.1, -0.13, -3.8, 0.145},
        {2, -0.14, -0.07, -2.03, 0.15},
        {3, 0.03, -0.097, -0.27, 0.094},
        {4, -0.07, -0.12, 0.52, 0.133},
        {5, 0.065, -0.09, -0.6, 0.106},
        {6, 0.045, -0.07, -0.6, 0.07},
    };
    /** Joint range (rad), lower and upper, per actuated joint. */
    static final double[][] RANGE_RAD = {{-0.52, 1.05}, {-0.785, 0.785}, {-0.4, 0.785}, {-1.0, 0.7},
        {-1.2, 0.87}, {-0.5, 0.5}};
    /** Joint stiffness (N.m/rad, spring to 0) per actuated joint. */
    static final double[] STIFFNESS = {240, 180, 120, 180, 120, 60};
    /** Joint damping (N.m.s/rad) per actuated joint. */
    static final double[] DAMPING = {6, 4.5, 3, 4.5, 3, 1.5};
    /** Motor gear (N.m per unit of control in [-1, 1]) per actuated joint. */
    static final double[] GEAR = {120, 90, 60, 120, 60, 30};
    /** Geom friction of the model (sliding). */
    public static final double FRICTION = 0.4;

    private final double[] mass = new double[BODIES];
    private final double[][] com = new double[BODIES][2];
    private final double[] inertiaY = new double[BODIES];

    public CheetahModel() {
        double[] volume = new double[CAPSULES.length];
        double total = 0;
        for (int c = 0; c < CAPSULES.length; c++) {
            volume[c] = capsuleVolume(CAPSULES[c][4]);
            total += volume[c];
        }
        double density = TOTAL_MASS_KG / total;
        for (int c = 0; c < CAPSULES.length; c++) {
            int b = (int) CAPSULES[c][0];
            double m = volume[c] * density;
            mass[b] += m;
            com[b][0] += m * CAPSULES[c][1];
            com[b][1] += m * CAPSULES[c][2];
        }
        for (int b = 0; b < BODIES; b++) {
            com[b][0] /= mass[b];
            com[b][1] /= mass[b];
        }
        for (int c = 0; c < CAPSULES.length; c++) {
            int b = (int) CAPSULES[c][0];
            double m = volume[c] * density;
            double h = CAPSULES[c][4];
            double r = CAPSULE_RADIUS_M;
            double dx = CAPSULES[c][1] - com[b][0];
            double dz = CAPSULES[c][2] - com[b][1];
            inertiaY[b] += capsuleInertiaPerpendicular(m, h, r) + m * (dx * dx + dz * dz);
        }
    }

    /** The volume a capsule of half-length {@code h} (radius 0.046 m) is credited with. */
    static double capsuleVolume(double h) {
        double r = CAPSULE_RADIUS_M;
        return Math.PI * r * r * (2 * h) + Math.PI * r * r * r;
    }

    /**
     * Inertia of a capsule of mass {@code m} about an axis through its centre perpendicular to its
     * own: the cylinder part (mass in proportion to its volume) as a solid cylinder, the end caps as
     * a sphere's inertia carried at the ends.
     */
    static double capsuleInertiaPerpendicular(double m, double h, double r) {
        double cylinder = m * (2 * h) / (2 * h + r);
        double caps = m - cylinder;
        return cylinder * (3 * r * r + 4 * h * h) / 12 + caps * (0.4 * r * r + h * h);
    }

    public double massKg(int body) {
        return mass[body];
    }

    /** Centre of mass in the body's frame: x (0) or z (1). */
    public double com(int body, int axis) {
        return com[body][axis];
    }

    /** Rotational inertia about the y axis through the body's centre of mass. */
    public double inertiaYKgM2(int body) {
        return inertiaY[body];
    }
}
