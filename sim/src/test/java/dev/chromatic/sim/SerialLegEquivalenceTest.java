package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.sim.gait.OpenLoopTrot;
import dev.chromatic.sim.kinematics.FiveBarLeg;
import org.junit.jupiter.api.Test;

class SerialLegEquivalenceTest {

    @Test
    /**
     * The toe Bullet computes from the serial chain lies on the five-bar's leg axis for the motor
     * angles, and along it within the linkage's elastic deflection (force / 100 kN/m, under 1 mm
     * while trotting).
     */
    void bulletToeOfTheSerialLegIsTheFiveBarToeOfTheMotorAngles() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            sim.start();
            RobotSpec spec = sim.spec();
            FiveBarLeg leg = new FiveBarLeg(spec.upperLegLengthM(), spec.lowerLegLengthM());
            MotorCommand cmd = new MotorCommand(8);
            OpenLoopTrot trot = OpenLoopTrot.reference(spec);
            double[] motors = new double[8];
            double[] q = new double[4];
            double[] pos = new double[3];
            double[] toe = new double[2];
            double[] physics = new double[3];
            double[] points = new double[12];
            for (int step = 0; step < 60; step++) {
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
                if (step % 7 != 0) {
                    continue;
                }
                sim.motorAngles(motors);
                sim.baseQuaternion(q);
                sim.basePosition(pos);
                for (int i = 0; i < 4; i++) {
                    leg.toeFromMotors(motors[2 * i], motors[2 * i + 1], spec.legSwingSign(i), toe);
                    double bx = (i == 0 || i == 2 ? 1 : -1) * spec.hipOffsetXM() + toe[0];
                    double by = (i < 2 ? 1 : -1) * spec.hipOffsetYM();
                    double bz = toe[1];
                    sim.toePhysicsPosition(i, physics);
                    sim.legPoints(i, points);
                    // the physics toe in the base frame, against the five-bar toe of the motor angles
                    double[] inBase = rotate(conjugate(q), physics[0] - pos[0], physics[1] - pos[1], physics[2] - pos[2]);
                    double dx = inBase[0] - bx;
                    double dy = inBase[1] - by;
                    double dz = inBase[2] - bz;
                    double norm = Math.hypot(toe[0], toe[1]);
                    double along = (dx * toe[0] + dz * toe[1]) / norm;
                    double across = Math.sqrt(Math.max(dx * dx + dy * dy + dz * dz - along * along, 0.0));
                    String where = "leg " + i + " step " + step;
                    assertEquals(0.0, across, 2e-4, "off the leg axis, " + where);
                    assertEquals(0.0, along, 1e-3, "along the leg (linkage deflection), " + where);
                    for (int k = 0; k < 3; k++) {
                        assertEquals(physics[k], points[9 + k], 2e-4, "rendered toe, leg " + i);
                    }
                }
            }
        }
    }

    private static double[] conjugate(double[] q) {
        return new double[] {-q[0], -q[1], -q[2], q[3]};
    }

    private static double[] rotate(double[] q, double x, double y, double z) {
        double qx = q[0];
        double qy = q[1];
        double qz = q[2];
        double w = q[3];
        // v' = v + 2w (u x v) + 2 u x (u x v), u = (qx, qy, qz)
        double cx = qy * z - qz * y;
        double cy = qz * x - qx * z;
        double cz = qx * y - qy * x;
        double ccx = qy * cz - qz * cy;
        double ccy = qz * cx - qx * cz;
        double ccz = qx * cy - qy * cx;
        return new double[] {x + 2 * w * cx + 2 * ccx, y + 2 * w * cy + 2 * ccy, z + 2 * w * cz + 2 * ccz};
    }
}
