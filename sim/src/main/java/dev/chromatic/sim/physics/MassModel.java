package dev.chromatic.sim.physics;

/**
 * Masses and inertias of the Minitaur-style body computed from simple shapes (boxes, cylinders,
 * rods) with the parallel-axis theorem. Mass split (total 6.0 kg): chassis 3.0 kg (three boxes,
 * split by volume), two side rails 0.1 kg each, eight motors 0.25 kg each (cylinders r 0.0434 m,
 * length 0.026 m, axis y) rigidly on the base, and per leg 0.2 kg of links: 0.1 kg of upper
 * links (the swing body) and 0.1 kg of lower links (the radial body). Domain randomisation scales
 * masses (and with them inertias) and, on top, rotational inertias, separately for base and legs.
 * Immutable.
 */
public final class MassModel {

    /** Total of the parts below at scale 1. */
    public static final double NOMINAL_TOTAL_KG = 6.0;
    /** Leg links of the four legs at scale 1 (16 x 0.05 kg). */
    public static final double NOMINAL_LEGS_KG = 0.8;
    public static final double CHASSIS_KG = 3.0;
    public static final double RAIL_KG = 0.1;
    public static final double MOTOR_KG = 0.25;
    public static final double LINK_KG = 0.05;
    public static final double MOTOR_RADIUS_M = 0.0434;
    public static final double MOTOR_LENGTH_M = 0.026;
    /** Lateral positions of the two motors of a leg (URDF: rail at 0.10, motors at -0.025/+0.04 from it). */
    public static final double MOTOR_INNER_Y_M = 0.06;
    public static final double MOTOR_OUTER_Y_M = 0.125;

    /** Chassis boxes as (size x, y, z, centre y), as in the public model. */
    static final double[][] CHASSIS_BOXES = {
        {0.33, 0.10, 0.07, 0.0},
        {0.17, 0.10, 0.05, 0.10},
        {0.17, 0.10, 0.05, -0.10},
    };

    private final double baseMassKg;
    private final double[] baseInertia = new double[3];
    private final double swingMassKg;
    private final double[] swingInertia = new double[3];
    private final double radialMassKg;
    private final double[] radialInertia = new double[3];
    private final double radialComAboveToeM;
    private final double extensionInertiaKgM2;

    /**
     * @param hipOffsetXM hips at x = +-hipOffsetXM
     * @param upperM      upper link length
     * @param lowerM      lower link length
     * @param neutralExtensionRad pose at which the leg-link inertias are evaluated
     * @param baseScale   mass multiplier of the base (domain randomisation, 1 nominal)
     * @param legScale    mass multiplier of the leg links
     */
    public MassModel(double hipOffsetXM, double upperM, double lowerM, double neutralExtensionRad,
            double baseScale, double legScale) {
        this(hipOffsetXM, upperM, lowerM, neutralExtensionRad, baseScale, legScale, 1.0, 1.0);
    }

    /**
     * As above, with rotational inertias further multiplied by {@code baseInertiaScale} (base) and
     * {@code legInertiaScale} (leg links, the extension inertia included).
     */
    public MassModel(double hipOffsetXM, double upperM, double lowerM, double neutralExtensionRad,
            double baseScale, double legScale, double baseInertiaScale, double legInertiaScale) {
        double m = 0;
        double ixx = 0;
        double iyy = 0;
        double izz = 0;
        double chassisVolume = 0;
        for (double[] b : CHASSIS_BOXES) {
            chassisVolume += b[0] * b[1] * b[2];
        }
        for (double[] b : CHASSIS_BOXES) {
            double mb = CHASSIS_KG * b[0] * b[1] * b[2] / chassisVolume;
            m += mb;
            // box: I = m (b^2 + c^2) / 12 about its centre, then + m d^2
            ixx += mb * (b[1] * b[1] + b[2] * b[2]) / 12 + mb * b[3] * b[3];
            iyy += mb * (b[0] * b[0] + b[2] * b[2]) / 12;
            izz += mb * (b[0] * b[0] + b[1] * b[1]) / 12 + mb * b[3] * b[3];
        }
        for (int side = -1; side <= 1; side += 2) {
            for (int plate = -1; plate <= 1; plate += 2) {
                double mp = RAIL_KG / 2;
                double y = side * 0.10 + plate * 0.035;
                m += mp;
                ixx += mp * (0.01 * 0.01 + 0.04 * 0.04) / 12 + mp * y * y;
                iyy += mp * (0.34 * 0.34 + 0.04 * 0.04) / 12;
                izz += mp * (0.34 * 0.34 + 0.01 * 0.01) / 12 + mp * y * y;
            }
        }
        double rr = MOTOR_RADIUS_M * MOTOR_RADIUS_M;
        double hh = MOTOR_LENGTH_M * MOTOR_LENGTH_M;
        for (int end = -1; end <= 1; end += 2) {
            for (int side = -1; side <= 1; side += 2) {
                for (double y : new double[] {MOTOR_INNER_Y_M, MOTOR_OUTER_Y_M}) {
                    double x = end * hipOffsetXM;
                    double yy = side * y;
                    m += MOTOR_KG;
                    // cylinder with axis y: Iyy = m r^2 / 2, Ixx = Izz = m (3 r^2 + h^2) / 12
                    ixx += MOTOR_KG * (3 * rr + hh) / 12 + MOTOR_KG * yy * yy;
                    iyy += MOTOR_KG * rr / 2 + MOTOR_KG * x * x;
                    izz += MOTOR_KG * (3 * rr + hh) / 12 + MOTOR_KG * (x * x + yy * yy);
                }
            }
        }
        baseMassKg = m * baseScale;
        baseInertia[0] = ixx * baseScale * baseInertiaScale;
        baseInertia[1] = iyy * baseScale * baseInertiaScale;
        baseInertia[2] = izz * baseScale * baseInertiaScale;

        // Swing body: two upper links (rods from the hip) at the neutral pose, lumped at the hip:
        // about y, rod about its end: m L^2 / 3 each; about the long axis ~0.
        double e = neutralExtensionRad;
        double upperKg = 2 * LINK_KG * legScale;
        swingMassKg = upperKg;
        double rodEnd = LINK_KG * legScale * legInertiaScale * upperM * upperM / 3;
        swingInertia[0] = Math.max(2 * rodEnd * Math.cos(e) * Math.cos(e), 1e-6);
        swingInertia[1] = 2 * rodEnd;
        swingInertia[2] = Math.max(2 * rodEnd * Math.sin(e) * Math.sin(e), 1e-6);
        // The same two rods turn in opposite senses as the leg opens: inertia of the extension.
        extensionInertiaKgM2 = 2 * rodEnd;

        // Radial body: two lower links from the knees to the toe; their centre of mass sits
        // (L2 cos beta)/2 above the toe with sin beta = L1 sin e / L2 at the neutral pose.
        double sinBeta = upperM * Math.sin(e) / lowerM;
        double cosBeta = Math.sqrt(1 - sinBeta * sinBeta);
        radialMassKg = 2 * LINK_KG * legScale;
        radialComAboveToeM = 0.5 * lowerM * cosBeta;
        double rodCentre = LINK_KG * legScale * lowerM * lowerM / 12;
        double halfSpread = 0.5 * lowerM * sinBeta;
        double spread = radialMassKg * halfSpread * halfSpread;
        radialInertia[0] = Math.max(2 * rodCentre * sinBeta * sinBeta * legInertiaScale, 1e-6);
        radialInertia[1] = (2 * rodCentre + spread) * legInertiaScale;
        radialInertia[2] = Math.max((2 * rodCentre * cosBeta * cosBeta + spread) * legInertiaScale, 1e-6);
    }

    public double baseMassKg() {
        return baseMassKg;
    }

    /** Principal inertia of the base about its centre of mass (x, y, z), kg m^2. */
    public double baseInertia(int axis) {
        return baseInertia[axis];
    }

    public double swingMassKg() {
        return swingMassKg;
    }

    public double swingInertia(int axis) {
        return swingInertia[axis];
    }

    public double radialMassKg() {
        return radialMassKg;
    }

    public double radialInertia(int axis) {
        return radialInertia[axis];
    }

    /**
     * Inertia the two motors of a leg drive when the leg opens or closes (the upper links turning
     * about the hip in opposite senses, {@code 2 m L1^2 / 3}), kg m^2 in extension coordinates.
     */
    public double extensionInertiaKgM2() {
        return extensionInertiaKgM2;
    }

    /** Distance of the lower links' centre of mass above the toe, along the leg axis. */
    public double radialComAboveToeM() {
        return radialComAboveToeM;
    }

    /** Base + 4 legs. */
    public double totalMassKg() {
        return baseMassKg + 4 * (swingMassKg + radialMassKg);
    }
}
