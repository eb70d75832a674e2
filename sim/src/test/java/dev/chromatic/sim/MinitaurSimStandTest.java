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
}
