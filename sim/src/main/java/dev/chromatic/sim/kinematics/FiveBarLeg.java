package dev.chromatic.sim.kinematics;

/**
 * Closed-form kinematics of one symmetric five-bar leg: two coaxial hip motors drive upper links
 * of length {@code L1}; lower links of length {@code L2} meet at the toe. Leg-plane coordinates:
 * x forward, z up, origin at the hip axis. Immutable and allocation-free.
 *
 * <p>Motor convention (see {@code RobotSpec}): extension {@code e = (mA + mB)/2}, swing
 * {@code s = d (mB - mA)/2}. The two upper links point at angles {@code s + e} and {@code s - e}
 * from the downward axis (positive toward +x), so the toe lies on their bisector, at polar angle
 * {@code s} and distance
 * <pre>
 *   r(e) = L1 cos e + sqrt(L2^2 - L1^2 sin^2 e)        (law of cosines, hip-knee-toe triangle)
 *   e(r) = acos((L1^2 + r^2 - L2^2) / (2 L1 r))
 * </pre>
 * This is why a 2-DOF serial leg (a hip revolute joint at angle s and a prismatic joint of
 * length r) has exactly the toe positions of the five-bar.
 */
public final class FiveBarLeg {

    private final double upperM;
    private final double lowerM;

    public FiveBarLeg(double upperLegLengthM, double lowerLegLengthM) {
        if (!(upperLegLengthM > 0) || !(lowerLegLengthM > upperLegLengthM)) {
            throw new IllegalArgumentException("need 0 < upper leg < lower leg, got " + upperLegLengthM
                    + " and " + lowerLegLengthM);
        }
        this.upperM = upperLegLengthM;
        this.lowerM = lowerLegLengthM;
    }

    public double upperLegLengthM() {
        return upperM;
    }

    public double lowerLegLengthM() {
        return lowerM;
    }

    /** Hip-to-toe distance for an extension: {@code r = L1 cos e + sqrt(L2^2 - L1^2 sin^2 e)}. */
    public double radiusM(double extensionRad) {
        double s = Math.sin(extensionRad);
        return upperM * Math.cos(extensionRad) + Math.sqrt(lowerM * lowerM - upperM * upperM * s * s);
    }

    /** {@code dr/de = -L1 sin e - L1^2 sin e cos e / sqrt(L2^2 - L1^2 sin^2 e)}; negative on (0, pi). */
    public double radiusDerivative(double extensionRad) {
        double s = Math.sin(extensionRad);
        double c = Math.cos(extensionRad);
        return -upperM * s - upperM * upperM * s * c / Math.sqrt(lowerM * lowerM - upperM * upperM * s * s);
    }

    /** Extension for a hip-to-toe distance (clamped into the reachable range [L2-L1, L2+L1]). */
    public double extensionRad(double radiusM) {
        double c = (upperM * upperM + radiusM * radiusM - lowerM * lowerM) / (2 * upperM * radiusM);
        return Math.acos(c < -1 ? -1 : (c > 1 ? 1 : c));
    }

    /**
     * Toe position from the two motor angles by intersecting the two lower-link circles around the
     * knees (the five-bar itself, independent of the polar formula). Writes (x, z) into {@code out}.
     */
    public void toeFromMotors(double motorARad, double motorBRad, double swingSign, double[] out) {
        double e = 0.5 * (motorARad + motorBRad);
        double s = swingSign * 0.5 * (motorBRad - motorARad);
        double phi1 = s + e;
        double phi2 = s - e;
        double k1x = upperM * Math.sin(phi1);
        double k1z = -upperM * Math.cos(phi1);
        double k2x = upperM * Math.sin(phi2);
        double k2z = -upperM * Math.cos(phi2);
        double dx = k2x - k1x;
        double dz = k2z - k1z;
        double d = Math.sqrt(dx * dx + dz * dz);
        double h = Math.sqrt(Math.max(lowerM * lowerM - 0.25 * d * d, 0.0));
        double mx = 0.5 * (k1x + k2x);
        double mz = 0.5 * (k1z + k2z);
        // Two intersections at the midpoint +- h along the normal of the knee-knee segment; the toe
        // is the one farther from the hip along the bisector (below the knees).
        double nx = d == 0 ? Math.sin(s) : -dz / d;
        double nz = d == 0 ? -Math.cos(s) : dx / d;
        double ax = mx + h * nx;
        double az = mz + h * nz;
        double bx = mx - h * nx;
        double bz = mz - h * nz;
        double bisX = Math.sin(s);
        double bisZ = -Math.cos(s);
        if (ax * bisX + az * bisZ >= bx * bisX + bz * bisZ) {
            out[0] = ax;
            out[1] = az;
        } else {
            out[0] = bx;
            out[1] = bz;
        }
    }

    /**
     * Motor angles that put the toe at (x, z) in the leg plane: {@code s = atan2(x, -z)},
     * {@code e = e(hypot(x, z))}, {@code mA = e - d s}, {@code mB = e + d s}. Writes (mA, mB).
     */
    public void motorsFromToe(double xM, double zM, double swingSign, double[] out) {
        double s = Math.atan2(xM, -zM);
        double e = extensionRad(Math.hypot(xM, zM));
        out[0] = e - swingSign * s;
        out[1] = e + swingSign * s;
    }
}
