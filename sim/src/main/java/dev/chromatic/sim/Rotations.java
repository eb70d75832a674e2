package dev.chromatic.sim;

/** Quaternion helpers (x, y, z, w order), allocation-free. */
final class Rotations {

    private Rotations() {
    }

    /** Row-major rotation matrix (body to world) of a unit quaternion. */
    static void matrix(double[] q, double[] m) {
        double x = q[0];
        double y = q[1];
        double z = q[2];
        double w = q[3];
        m[0] = 1 - 2 * (y * y + z * z);
        m[1] = 2 * (x * y - z * w);
        m[2] = 2 * (x * z + y * w);
        m[3] = 2 * (x * y + z * w);
        m[4] = 1 - 2 * (x * x + z * z);
        m[5] = 2 * (y * z - x * w);
        m[6] = 2 * (x * z - y * w);
        m[7] = 2 * (y * z + x * w);
        m[8] = 1 - 2 * (x * x + y * y);
    }

    /**
     * Z-Y-X Euler angles: roll = atan2(2(wx + yz), 1 - 2(x^2 + y^2)), pitch = asin(2(wy - zx)),
     * yaw = atan2(2(wz + xy), 1 - 2(y^2 + z^2)).
     */
    static void rollPitchYaw(double[] q, double[] out, int offset) {
        double x = q[0];
        double y = q[1];
        double z = q[2];
        double w = q[3];
        out[offset] = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y));
        double sp = 2 * (w * y - z * x);
        out[offset + 1] = Math.asin(sp < -1 ? -1 : (sp > 1 ? 1 : sp));
        out[offset + 2] = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
    }

    /** out = R^T v: a world vector expressed in the body frame. */
    static void worldToBody(double[] m, double vx, double vy, double vz, double[] out, int offset) {
        out[offset] = m[0] * vx + m[3] * vy + m[6] * vz;
        out[offset + 1] = m[1] * vx + m[4] * vy + m[7] * vz;
        out[offset + 2] = m[2] * vx + m[5] * vy + m[8] * vz;
    }
}
