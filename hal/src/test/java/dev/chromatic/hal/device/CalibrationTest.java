package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

    private final RobotSpec spec = RobotSpec.minitaur();

    @Test
    void jointPulseIsClampedAndInvertible() {
        JointCalibration j = new JointCalibration("front_left_a", 2, 1500.0, -1, 500.0, 700.0, 2300.0);
        assertEquals(1500.0, j.pulseUs(0.0), 0.0);
        assertEquals(1250.0, j.pulseUs(0.5), 1e-12);
        assertEquals(2300.0, j.pulseUs(-5.0), 0.0);
        assertEquals(700.0, j.pulseUs(5.0), 0.0);
        assertEquals(0.5, j.angleRad(1250.0), 1e-12);
    }

    @Test
    void fileRoundTripsAndIsWrittenAtomically(@TempDir Path dir) throws IOException {
        JointCalibration[] joints = new JointCalibration[8];
        for (int m = 0; m < 8; m++) {
            joints[m] = Calibration.defaults(spec).joint(m);
        }
        joints[0] = new JointCalibration("front_left_a", 7, 512.25, -1, 640.5, 520, 2480);
        joints[7] = new JointCalibration("back_right_b", 0, 500, 1, 636.62, 500, 2500);
        Calibration cal = new Calibration(spec, 25_000_000, joints).withOscillatorHz(spec, 25_400_000);
        Path file = dir.resolve("calibration.properties");
        cal.save(file, spec);
        Calibration back = Calibration.load(file, spec);
        assertEquals(25_400_000, back.oscillatorHz(), 0.0);
        assertEquals(7, back.joint(0).channel);
        assertEquals(512.25, back.joint(0).zeroPulseUs, 0.0);
        assertEquals(-1, back.joint(0).direction);
        assertEquals(640.5, back.joint(0).usPerRad, 0.0);
        assertEquals(0, back.joint(7).channel);
        assertEquals(0, back.firstChannel());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void missingOrBadKeysAreNamed(@TempDir Path dir) throws IOException {
        String good = Calibration.defaults(spec).format(spec);
        assertMessage(good.replace("joint.back_left_b.usPerRad", "joint.back_left_b.usPerRadian"),
                "joint.back_left_b.usPerRad is missing", dir);
        assertMessage(good.replace("joint.front_right_a.direction=1", "joint.front_right_a.direction=2"),
                "joint.front_right_a.direction must be 1 or -1", dir);
        assertMessage(good.replace("joint.front_left_b.channel=1", "joint.front_left_b.channel=0"),
                "distinct consecutive channels", dir);
        assertMessage(good.replace("calibration.robot=minitaur", "calibration.robot=spot"),
                "calibration.robot is 'spot'", dir);
        assertMessage(good.replace("pca9685.oscillatorHz=25000000", "pca9685.oscillatorHz=fast"),
                "pca9685.oscillatorHz is not a number", dir);
    }

    private void assertMessage(String text, String expected, Path dir) throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.load(file, spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("bad.properties"), e.getMessage());
    }
}
