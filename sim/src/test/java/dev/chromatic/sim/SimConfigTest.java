package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import org.junit.jupiter.api.Test;

class SimConfigTest {

    @Test
    void badSettingsAreRejectedNamingTheKey() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> SimConfig.builder().controlPeriodNs(2_500_000).build());
        assertTrue(a.getMessage().contains("controlPeriodNs"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> SimConfig.builder().set("voltageMinV", "17").set("voltageMaxV", "15").build());
        assertTrue(b.getMessage().contains("voltage"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().set("kq", "1"));
        assertTrue(c.getMessage().contains("kq"), c.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().set("kp", "soft"));
        assertTrue(d.getMessage().contains("kp"), d.getMessage());
        assertEquals(6, SimConfig.builder().set("controlPeriodMs", "6").build().substepsPerControl());
    }

    @Test
    void randomisedEpisodesDrawTheirParametersFromTheSeed() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.builder().domainRandomization().build())) {
            sim.reset(11);
            double v11 = sim.voltageV();
            double m11 = sim.totalMassKg();
            sim.reset(12);
            double v12 = sim.voltageV();
            sim.reset(11);
            assertEquals(v11, sim.voltageV(), 0.0);
            assertEquals(m11, sim.totalMassKg(), 0.0);
            assertNotEquals(v11, v12);
            assertTrue(v11 >= 14.8 && v11 <= 16.8 && m11 >= 0.8 * 6 && m11 <= 1.2 * 6);
            assertTrue(sim.controlLatencyMs() >= 0 && sim.controlLatencyMs() <= 20);
        }
        try (MinitaurSim nominal = MinitaurSim.create(SimConfig.defaults())) {
            nominal.reset(5);
            assertEquals(6.0, nominal.totalMassKg(), 1e-9);
            assertEquals(16.0, nominal.voltageV(), 0.0);
        }
    }

    @Test
    void controlLatencyDelaysWhatReadReturns() {
        SimConfig delayed = SimConfig.builder().controlLatencyNs(20_000_000).build();
        try (MinitaurSim now = MinitaurSim.create(SimConfig.defaults());
                MinitaurSim late = MinitaurSim.create(delayed)) {
            now.reset(1);
            late.reset(1);
            MotorCommand cmd = new MotorCommand(8);
            cmd.mode = MotorCommand.Mode.POSITION;
            now.spec().standingPose(cmd.positionRad);
            cmd.positionRad[0] += 0.3;
            SensorFrame a = new SensorFrame(8);
            SensorFrame b = new SensorFrame(8);
            double[] history = new double[10];
            for (int i = 0; i < 10; i++) {
                now.write(cmd);
                late.write(cmd);
                now.read(a);
                history[i] = a.motorAngleRad[0];
                late.read(b);
                if (i >= 2) {
                    // same physics; the delayed reading is the undelayed one of two 10 ms periods earlier
                    assertEquals(history[i - 2], b.motorAngleRad[0], 0.0);
                }
            }
            assertTrue(history[9] > history[0] + 0.05, "motor 0 should move toward its raised target");
        }
    }
}
