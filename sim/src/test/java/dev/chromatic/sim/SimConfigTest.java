package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            assertTrue(v11 >= 14.0 && v11 <= 16.8 && m11 >= 0.8 * 6 && m11 <= 1.2 * 6);
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

    @Test
    void everyRandomisedQuantityHasTextKeysAValidatedRangeAndATrainingRange() throws Exception {
        SimConfig nominal = SimConfig.defaults();
        SimConfig training = SimConfig.builder().domainRandomization().build();
        for (List<String> keys : SimConfig.randomizedQuantities()) {
            boolean randomised = false;
            for (int i = 0; i < keys.size(); i += 2) {
                String minKey = keys.get(i);
                String maxKey = keys.get(i + 1);
                Object maxValue = SimConfig.class.getField(maxKey).get(training);
                double min = number(SimConfig.class.getField(minKey).get(training));
                double max = number(maxValue);
                assertTrue(min <= max, minKey + " > " + maxKey + " in the training ranges");
                randomised |= min != max || min != number(SimConfig.class.getField(minKey).get(nominal));
                String high = maxValue instanceof Long l ? String.valueOf(l + 1_000_000L) : String.valueOf(max + 1);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> SimConfig.builder().set(maxKey, String.valueOf(maxValue)).set(minKey, high).build(), minKey);
                assertTrue(e.getMessage().contains(minKey) && e.getMessage().contains(maxKey), e.getMessage());
            }
            assertTrue(randomised, keys + " is not randomised by domainRandomization()");
        }
    }

    @Test
    void newSettingsAreValidatedNamingTheKey() {
        assertNamed("controlJitterMaxNs", () -> SimConfig.builder().set("controlJitterNs", "10000000").build());
        assertNamed("controlJitterMinNs", () -> SimConfig.builder().set("controlJitterMinNs", "1500000").build());
        assertNamed("actionLatencyMaxNs", () -> SimConfig.builder().set("actionLatencyMaxNs", "-1000000").build());
        assertNamed("inertiaScaleMin", () -> SimConfig.builder().set("inertiaScale", "0").build());
        assertNamed("torqueConstantScaleMin", () -> SimConfig.builder().set("torqueConstantScaleMin", "-1").build());
        assertNamed("jointFrictionMinNm", () -> SimConfig.builder().set("jointFrictionNm", "NaN").build());
        assertNamed("pushIntervalMinNs", () -> SimConfig.builder().set("pushForceN", "10")
                .set("pushDurationNs", "100000000").build());
        assertNamed("gyroBiasMaxRadPerS", () -> SimConfig.builder().set("gyroBiasMaxRadPerS", "Infinity").build());
        assertNamed("start", () -> SimConfig.builder().set("start", "sideways"));
        SimConfig c = SimConfig.builder().set("start", "powerup").set("gyroBiasRadPerS", "0.02").build();
        assertEquals(SimConfig.Start.POWERUP, c.start);
        assertEquals(-0.02, c.gyroBiasMinRadPerS, 0.0);
        assertEquals(0.02, c.gyroBiasMaxRadPerS, 0.0);
        assertEquals(7L, c.toBuilder().seed(7).build().seed);
        assertEquals(SimConfig.Start.POWERUP, c.toBuilder().build().start);
    }

    @Test
    void settingsFileAppliesItsLinesInOrderAndNamesABadKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("randomize.properties");
        Files.writeString(file, """
                # training ranges, then narrower masses
                domainRandomization = true
                massScaleMax = 1.1

                start: powerup
                ! comment
                """);
        SimConfig c = SimConfig.builder().load(file).build();
        assertEquals(0.8, c.massScaleMin, 0.0);
        assertEquals(1.1, c.massScaleMax, 0.0);
        assertEquals(0.5, c.inertiaScaleMin, 0.0);
        assertEquals(SimConfig.Start.POWERUP, c.start);

        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "massScaleMin = 0.9\nmassScal = 1.1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().load(bad));
        assertTrue(e.getMessage().contains("massScal") && e.getMessage().contains(":2"), e.getMessage());
        Path noValue = dir.resolve("novalue.properties");
        Files.writeString(noValue, "massScaleMin\n");
        assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().load(noValue));
        assertThrows(UncheckedIOException.class, () -> SimConfig.builder().load(dir.resolve("missing.properties")));
    }

    private static double number(Object v) {
        return ((Number) v).doubleValue();
    }

    private static void assertNamed(String key, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build, key);
        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }
}
