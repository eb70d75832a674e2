package dev.chromatic.sim.motor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import org.junit.jupiter.api.Test;

/** The hobby servo's position loop and torque line, on a bare inertia integrated at the sim's 1 ms. */
class ServoModelTest {

    private static final double STALL_NM = 2.0;
    private static final double NO_LOAD_RAD_PER_S = 7.0;
    private static final double LAG_S = 0.010;
    private static final double DEADBAND_RAD = 3.0 / (2000.0 / Math.PI);
    private static final double DT_S = 0.001;
    /** Output inertia: a leg's links on the horn, kg.m^2. */
    private static final double INERTIA = 2e-3;

    private static ServoModel servo() {
        ServoModel s = new ServoModel(1);
        s.set(0, STALL_NM, NO_LOAD_RAD_PER_S, LAG_S, DEADBAND_RAD);
        return s;
    }

    /** Steps a 1 rad command against a constant load torque; returns {peak speed, time to 0.9 rad}. */
    private static double[] step(double loadNm) {
        ServoModel s = servo();
        double q = 0;
        double v = 0;
        double peak = 0;
        double reached = Double.NaN;
        for (int k = 1; k <= 2000; k++) {
            double tau = s.torqueNm(0, true, 1.0, q, v, DT_S);
            v += (tau - loadNm) / INERTIA * DT_S;
            q += v * DT_S;
            peak = Math.max(peak, v);
            if (Double.isNaN(reached) && q >= 0.9) {
                reached = k * DT_S;
            }
        }
        return new double[] {peak, reached, q};
    }

    @Test
    void aLargeStepRunsAtTheNoLoadSpeedAndNoFaster() {
        double[] r = step(0.0);
        assertTrue(r[0] <= NO_LOAD_RAD_PER_S + 1e-9, "peak " + r[0]);
        assertTrue(r[0] > 0.9 * NO_LOAD_RAD_PER_S, "peak " + r[0]);
        // 0.9 rad at 7 rad/s takes 0.129 s; the lag and the acceleration add a little
        assertTrue(r[1] > 0.9 / NO_LOAD_RAD_PER_S && r[1] < 0.9 / NO_LOAD_RAD_PER_S + 0.05, "reached at " + r[1]);
        assertEquals(1.0, r[2], 0.01, "settles at the command");
    }

    @Test
    void aLoadSlowsTheServoAlongItsTorqueSpeedLine() {
        // against half the stall torque the line tau = stall (1 - w / w0) gives w = w0 / 2
        double[] r = step(0.5 * STALL_NM);
        assertEquals(0.5 * NO_LOAD_RAD_PER_S, r[0], 0.05 * NO_LOAD_RAD_PER_S);
    }

    @Test
    void torqueFallsLinearlyWithSpeedAtFullDrive() {
        ServoModel s = new ServoModel(1);
        s.set(0, STALL_NM, NO_LOAD_RAD_PER_S, 0.0, DEADBAND_RAD);
        assertEquals(STALL_NM, s.torqueNm(0, true, 1.0, 0.0, 0.0, DT_S), 1e-12);
        assertEquals(0.5 * STALL_NM, s.torqueNm(0, true, 1.0, 0.0, 0.5 * NO_LOAD_RAD_PER_S, DT_S), 1e-12);
        assertEquals(0.0, s.torqueNm(0, true, 1.0, 0.0, NO_LOAD_RAD_PER_S, DT_S), 1e-12);
        // driven backwards faster than it can run, it brakes at no more than its stall torque
        assertEquals(STALL_NM, s.torqueNm(0, true, 1.0, 0.0, -3 * NO_LOAD_RAD_PER_S, DT_S), 1e-12);
    }

    @Test
    void theDriveLagsTheErrorByItsTimeConstant() {
        ServoModel s = servo();
        s.torqueNm(0, true, 1.0, 0.0, 0.0, DT_S);
        assertEquals(1.0 - Math.exp(-DT_S / LAG_S), s.drive(0), 1e-12);
        for (int k = 1; k < 10; k++) {
            s.torqueNm(0, true, 1.0, 0.0, 0.0, DT_S);
        }
        assertEquals(1.0 - Math.exp(-1.0), s.drive(0), 1e-12, "63 % after one time constant");
    }

    @Test
    void anErrorInsideTheDeadbandDrivesNothing() {
        ServoModel s = new ServoModel(1);
        s.set(0, STALL_NM, NO_LOAD_RAD_PER_S, 0.0, DEADBAND_RAD);
        assertEquals(0.0, s.torqueNm(0, true, 0.9 * DEADBAND_RAD, 0.0, 0.0, DT_S), 0.0);
        assertEquals(0.0, s.torqueNm(0, true, -0.9 * DEADBAND_RAD, 0.0, 0.0, DT_S), 0.0);
        double outside = s.torqueNm(0, true, 1.1 * DEADBAND_RAD, 0.0, 0.0, DT_S);
        assertEquals(STALL_NM * ServoModel.GAIN_PER_RAD * 1.1 * DEADBAND_RAD, outside, 1e-12);
    }

    @Test
    void aServoInsideItsDeadbandHoldsWhereItStopped() {
        // a leg left 0.8 deadbands from its command stays there: no drive, no creep
        ServoModel s = servo();
        double q = 0.8 * DEADBAND_RAD;
        double v = 0;
        for (int k = 0; k < 500; k++) {
            double tau = s.torqueNm(0, true, 0.0, q, v, DT_S);
            v += tau / INERTIA * DT_S;
            q += v * DT_S;
        }
        assertEquals(0.8 * DEADBAND_RAD, q, 0.0);
    }

    @Test
    void withoutPulsesTheServoIsLimp() {
        ServoModel s = servo();
        s.torqueNm(0, true, 1.0, 0.0, 0.0, DT_S);
        assertEquals(0.0, s.torqueNm(0, false, 1.0, 0.0, 3.0, DT_S), 0.0);
        assertEquals(0.0, s.drive(0), 0.0, "the amplifier starts from rest at the next pulse");
    }

    @Test
    void servoFiguresOfTheSpecAreTheDatasheetsAtSixVolts() {
        // DS3218: 0.16 s/60 deg at 5 V, 0.14 at 6.8 V -> 0.149 s at 6 V; 19 / 21.5 kg.cm -> 20.4 kg.cm
        assertEquals(7.03, RobotSpec.SERVO_NO_LOAD_SPEED_RAD_PER_S, 0.01);
        assertEquals(2.0, RobotSpec.SERVO_STALL_TORQUE_NM, 0.01);
    }
}
