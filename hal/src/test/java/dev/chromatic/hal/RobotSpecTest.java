package dev.chromatic.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RobotSpecTest {

    private final RobotSpec spec = RobotSpec.minitaur();

    @Test
    void legCoordinatesRoundTripOnEveryLeg() {
        double[] motors = new double[8];
        for (int leg = 0; leg < 4; leg++) {
            spec.legToMotorAngles(leg, 0.3, 1.2, motors);
            assertEquals(0.3, spec.swingOf(leg, motors), 1e-12);
            assertEquals(1.2, spec.extensionOf(leg, motors), 1e-12);
        }
    }

    @Test
    void rightLegsAreMirrored() {
        double[] motors = new double[8];
        spec.legToMotorAngles(0, 0.2, 1.5, motors);
        spec.legToMotorAngles(2, 0.2, 1.5, motors);
        // left: mA = e - s, mB = e + s; right: mA = e + s, mB = e - s
        assertEquals(1.3, motors[0], 1e-12);
        assertEquals(1.7, motors[1], 1e-12);
        assertEquals(1.7, motors[4], 1e-12);
        assertEquals(1.3, motors[5], 1e-12);
    }

    @Test
    void standingPoseIsNeutralExtensionOnEveryMotor() {
        double[] motors = new double[8];
        spec.standingPose(motors);
        double[] expected = new double[8];
        Arrays.fill(expected, Math.PI / 2);
        assertEquals(Arrays.toString(expected), Arrays.toString(motors));
        for (int m = 0; m < 8; m++) {
            assertEquals(motors[m], spec.clampPosition(m, motors[m]), 0.0, "standing pose must be within limits");
        }
    }

    @Test
    void clampsTargetsToPositionLimits() {
        assertEquals(spec.maxPositionRad(3), spec.clampPosition(3, 10.0), 0.0);
        assertEquals(spec.minPositionRad(3), spec.clampPosition(3, -10.0), 0.0);
        assertEquals(1.0, spec.clampPosition(3, 1.0), 0.0);
    }

    @Test
    void builderNamesTheBadField() {
        RobotSpec.Builder b = new RobotSpec.Builder();
        b.name = "x";
        b.motorNames = java.util.List.of("a", "b", "c", "d", "e", "f", "g", "h");
        b.motorDirection = new double[] {1, 1, 1, 1, 1, 1, 1, 1};
        b.minPositionRad = new double[8];
        b.maxPositionRad = new double[8];
        b.legSwingSign = new double[] {1, 1, -1, -1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("minPositionRad[0]"), e.getMessage());
    }
}
