package dev.chromatic.sim.motor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MotorModelTest {

    private static final double EPS = 1e-9;

    @Test
    void pdLawGivesDutyCycleAndClips() {
        // -1 * (1.0 - 1.2) - 0.015 * 2 = 0.17
        assertEquals(0.17, MotorModel.pwm(1.0, 0.015, 1.0, 2.0, 1.2), EPS);
        assertEquals(1.0, MotorModel.pwm(1.0, 0.015, 0.0, 0.0, 3.0), 0.0);
        assertEquals(-1.0, MotorModel.pwm(1.0, 0.015, 3.0, 0.0, 0.0), 0.0);
        assertEquals(0.0, MotorModel.pwm(1.0, 0.015, Double.NaN, 0.0, 0.0), 0.0);
    }

    @Test
    void torqueAtPartLoadFollowsBackEmfAndCurrentTable() {
        // Vnet = 0.17*16 - 0.0954*2 = 2.5292 V; I = 13.5978 A; tau = 1 + 0.35978*0.9
        assertEquals(1.3238064516129, MotorModel.torqueNm(0.17, 2.0, 16.0, 0.0, 1.0), 1e-9);
    }

    @Test
    void fullDutyAtStallSaturatesAtTableEnd() {
        // I = 16 / 0.186 = 86 A, beyond the 60 A end of the table
        assertEquals(3.5, MotorModel.torqueNm(1.0, 0.0, 16.0, 0.0, 1.0), 0.0);
    }

    @Test
    void backEmfBrakesAZeroDutyMotor() {
        // Vnet = -0.0954*100 = -9.54 V; I = -51.29 A; tau = -(3.25 + 0.129032*0.25)
        assertEquals(-3.2822580645161, MotorModel.torqueNm(0.0, 100.0, 16.0, 0.0, 1.0), 1e-9);
    }

    @Test
    void netVoltageIsClippedAtFiftyVolts() {
        // Vnet = -16 - 57.24 = -73.24 V -> -50 V; I = -268.8 A -> table end
        assertEquals(-3.5, MotorModel.torqueNm(-1.0, 600.0, 16.0, 0.0, 1.0), 0.0);
    }

    @Test
    void viscousDampingAndStrengthScaleTheTorque() {
        // Vnet = 8 - 0.1054*10 = 6.946 V; I = 37.3441 A; tau = 0.8 * (2.45 + 0.734409*0.55)
        assertEquals(2.2831397849462, MotorModel.torqueNm(0.5, 10.0, 16.0, 0.01, 0.8), 1e-9);
    }

    @Test
    void observedTorqueIsLinearInDutyAndClipped() {
        // 0.0954 * 0.5 * 16 / 0.186
        assertEquals(4.1032258064516, MotorModel.observedTorqueNm(0.5, 16.0), 1e-9);
        assertEquals(5.7, MotorModel.observedTorqueNm(1.0, 16.0), 0.0);
        assertEquals(-5.7, MotorModel.observedTorqueNm(-1.0, 16.0), 0.0);
    }

    @Test
    void torqueConstantScalesBackEmfTorquePerAmpereAndTheReportedTorque() {
        // Vnet = 0.17*16 - 1.1*0.0954*2 = 2.51012 V; I = 13.495269 A; tau = 1.1 * (1 + 0.3495269*0.9)
        assertEquals(1.4460316129032, MotorModel.torqueNm(0.17, 2.0, 16.0, 1.1, 0.0, 1.0), 1e-9);
        // 1.1 * 0.0954 * 0.5 * 16 / 0.186
        assertEquals(4.5135483870968, MotorModel.observedTorqueNm(0.5, 16.0, 1.1), 1e-9);
        assertEquals(MotorModel.torqueNm(0.17, 2.0, 16.0, 0.0, 1.0), MotorModel.torqueNm(0.17, 2.0, 16.0, 1.0, 0.0, 1.0), 0.0);
    }

    @Test
    void overheatCutOffAfterOneSecondAboveThreshold() {
        OverheatGuard guard = new OverheatGuard(2);
        long ms = 1_000_000L;
        for (int i = 0; i < 1000; i++) {
            assertEquals(3.0, guard.filter(0, 3.0, ms), 0.0);
        }
        assertFalse(guard.isDisabled(0));
        assertEquals(0.0, guard.filter(0, 3.0, ms), 0.0);
        assertTrue(guard.isDisabled(0));
        assertEquals(0.0, guard.filter(0, 0.1, ms), 0.0);
        for (int i = 0; i < 2000; i++) {
            guard.filter(1, i % 2 == 0 ? 3.0 : 1.0, ms);
        }
        assertFalse(guard.isDisabled(1), "a motor below threshold every other step must not be cut off");
    }
}
