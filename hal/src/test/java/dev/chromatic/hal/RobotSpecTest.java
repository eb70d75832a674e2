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

    @Test
    void theServoBuildHasTheMinitaursLegsAndTheServosLimits() {
        RobotSpec servo = RobotSpec.named("minitaur-servo");
        assertEquals("minitaur-servo", servo.name());
        assertEquals(spec.upperLegLengthM(), servo.upperLegLengthM());
        assertEquals(spec.lowerLegLengthM(), servo.lowerLegLengthM());
        assertEquals(spec.hipOffsetXM(), servo.hipOffsetXM());
        for (int m = 0; m < 8; m++) {
            assertEquals(spec.motorName(m), servo.motorName(m));
            assertEquals(0.0, servo.minPositionRad(m));
            assertEquals(Math.PI, servo.maxPositionRad(m));
        }
        double[] resting = new double[8];
        servo.restingPose(resting);
        for (int m = 0; m < 8; m++) {
            assertEquals(resting[m], servo.clampPosition(m, resting[m]), "the resting pose lies inside the travel");
        }
        assertEquals(2.0, servo.totalMassKg());
        assertEquals(RobotSpec.SERVO_NO_LOAD_SPEED_RAD_PER_S, servo.maxVelocityRadPerS());
    }

    @Test
    void theServoBuildMeasuresWhatItsDeviceBackendMeasures() {
        RobotSpec servo = RobotSpec.minitaurServo();
        assertEquals(dev.chromatic.hal.device.DeviceHardware.MEASURED_MASK, servo.measuredMask());
        assertEquals(0, servo.measuredMask() & SensorFrame.VALID_MOTOR_ANGLES, "hobby servos have no encoders");
        assertEquals(SensorFrame.VALID_ALL, spec.measuredMask());
        assertEquals(servo.measuredMask(), dev.chromatic.hal.remote.RemoteHardware
                .fromSetting("remote:127.0.0.1:9", servo, 10_000_000L, NanoClock.system()).measuredMask());
    }

    @Test
    void anUnknownRobotIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RobotSpec.named("minitaur-x"));
        assertTrue(e.getMessage().contains("minitaur-x") && e.getMessage().contains("minitaur-servo"), e.getMessage());
    }
}
