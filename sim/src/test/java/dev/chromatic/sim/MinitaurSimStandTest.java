package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import org.junit.jupiter.api.Test;

class MinitaurSimStandTest {

    @Test
    void standsTenSecondsWithTheStandingPoseThroughTheHal() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            sim.start();
            RobotSpec spec = sim.spec();
            SensorFrame frame = new SensorFrame(spec.motorCount());
            MotorCommand cmd = new MotorCommand(spec.motorCount());
            cmd.mode = MotorCommand.Mode.POSITION;
            spec.standingPose(cmd.positionRad);
            double[] pos = new double[3];
            double[] rpy = new double[3];
            boolean[] contacts = new boolean[4];
            double minHeight = Double.MAX_VALUE;
            for (int step = 0; step < 1000; step++) {
                sim.read(frame);
                sim.write(cmd);
                sim.basePosition(pos);
                minHeight = Math.min(minHeight, pos[2]);
            }
            sim.baseRollPitchYaw(rpy);
            sim.footContacts(contacts);
            assertEquals(10_000_000_000L, sim.simTimeNs());
            assertTrue(minHeight > 0.12, "base sank to " + minHeight);
            assertTrue(Math.abs(rpy[0]) < 0.05 && Math.abs(rpy[1]) < 0.05, "tilted: roll " + rpy[0] + " pitch " + rpy[1]);
            assertTrue(Math.abs(pos[0]) < 0.05 && Math.abs(pos[1]) < 0.05, "drifted to " + pos[0] + ", " + pos[1]);
            for (boolean c : contacts) {
                assertTrue(c, "a foot left the ground");
            }
            sim.read(frame);
            assertTrue(frame.isValid(SensorFrame.VALID_ALL));
            assertEquals(9.81, frame.accelZMps2, 0.2);
        }
    }

    @Test
    void groundTruthIsWhatPerfectSensorsWithoutLatencyRead() {
        SimConfig perfect = SimConfig.builder().start(SimConfig.Start.POWERUP).build();
        try (MinitaurSim sim = MinitaurSim.create(perfect)) {
            sim.reset(3);
            SensorFrame frame = new SensorFrame(8);
            MotorCommand cmd = new MotorCommand(8);
            cmd.mode = MotorCommand.Mode.POSITION;
            sim.spec().standingPose(cmd.positionRad);
            GroundTruth truth = new GroundTruth();
            double[] pos = new double[3];
            for (int step = 0; step < 30; step++) {
                sim.write(cmd);
            }
            sim.read(frame);
            sim.groundTruth(truth);
            sim.basePosition(pos);
            assertEquals(sim.simTimeNs(), truth.timeNs);
            assertEquals(pos[2], truth.heightM(), 0.0);
            assertEquals(frame.rollRad, truth.rollRad, 0.0);
            assertEquals(frame.pitchRad, truth.pitchRad, 0.0);
            assertEquals(frame.rollRateRadPerS, truth.bodyRateRadPerS[0], 0.0);
            assertEquals(frame.pitchRateRadPerS, truth.bodyRateRadPerS[1], 0.0);
            assertEquals(frame.yawRateRadPerS, truth.bodyRateRadPerS[2], 0.0);
            for (int m = 0; m < 8; m++) {
                assertEquals(frame.motorAngleRad[m], truth.motorAngleRad[m], 0.0);
            }
            assertTrue(truth.heightM() > 0.12 && truth.heightM() < sim.standingHeightM(), "stands at " + truth.heightM());
        }
    }
}
