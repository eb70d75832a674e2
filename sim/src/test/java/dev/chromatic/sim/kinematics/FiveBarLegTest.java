package dev.chromatic.sim.kinematics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FiveBarLegTest {

    private final FiveBarLeg leg = new FiveBarLeg(0.11, 0.20);

    @Test
    void neutralPoseHasUpperLinksHorizontal() {
        // e = pi/2: r = sqrt(0.2^2 - 0.11^2)
        assertEquals(Math.sqrt(0.04 - 0.0121), leg.radiusM(Math.PI / 2), 1e-12);
        double[] toe = new double[2];
        leg.toeFromMotors(Math.PI / 2, Math.PI / 2, 1.0, toe);
        assertEquals(0.0, toe[0], 1e-12);
        assertEquals(-Math.sqrt(0.04 - 0.0121), toe[1], 1e-12);
    }

    @Test
    void fiveBarToeMatchesSerialPolarFormOverTheWorkspace() {
        double[] toe = new double[2];
        for (double sign : new double[] {1.0, -1.0}) {
            for (double mA = -0.4; mA <= 2.9; mA += 0.1) {
                for (double mB = -0.4; mB <= 2.9; mB += 0.1) {
                    double e = 0.5 * (mA + mB);
                    if (e < 0.2 || e > 2.8) {
                        continue;
                    }
                    double s = sign * 0.5 * (mB - mA);
                    leg.toeFromMotors(mA, mB, sign, toe);
                    double r = leg.radiusM(e);
                    assertEquals(r * Math.sin(s), toe[0], 1e-12, "x at mA " + mA + " mB " + mB);
                    assertEquals(-r * Math.cos(s), toe[1], 1e-12, "z at mA " + mA + " mB " + mB);
                }
            }
        }
    }

    @Test
    void motorsToToeToMotorsRoundTrips() {
        double[] toe = new double[2];
        double[] motors = new double[2];
        for (double sign : new double[] {1.0, -1.0}) {
            for (double mA = -0.3; mA <= 2.6; mA += 0.13) {
                for (double mB = -0.3; mB <= 2.6; mB += 0.13) {
                    double e = 0.5 * (mA + mB);
                    if (e < 0.3 || e > 2.5 || Math.abs(mB - mA) > 2.0) {
                        continue;
                    }
                    leg.toeFromMotors(mA, mB, sign, toe);
                    leg.motorsFromToe(toe[0], toe[1], sign, motors);
                    assertEquals(mA, motors[0], 1e-9);
                    assertEquals(mB, motors[1], 1e-9);
                }
            }
        }
    }

    @Test
    void toeToMotorsToToeRoundTrips() {
        double[] toe = new double[2];
        double[] motors = new double[2];
        for (double x = -0.12; x <= 0.12; x += 0.02) {
            for (double z = -0.28; z <= -0.11; z += 0.01) {
                leg.motorsFromToe(x, z, -1.0, motors);
                leg.toeFromMotors(motors[0], motors[1], -1.0, toe);
                assertEquals(x, toe[0], 1e-9);
                assertEquals(z, toe[1], 1e-9);
            }
        }
    }

    @Test
    void radiusDerivativeMatchesFiniteDifference() {
        for (double e = 0.3; e < 2.8; e += 0.1) {
            double h = 1e-6;
            double numeric = (leg.radiusM(e + h) - leg.radiusM(e - h)) / (2 * h);
            assertEquals(numeric, leg.radiusDerivative(e), 1e-7);
            assertEquals(e, leg.extensionRad(leg.radiusM(e)), 1e-9);
        }
    }

    @Test
    void rejectsImpossibleLinkLengths() {
        assertThrows(IllegalArgumentException.class, () -> new FiveBarLeg(0.2, 0.11));
    }
}
