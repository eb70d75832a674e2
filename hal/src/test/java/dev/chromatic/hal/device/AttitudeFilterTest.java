package dev.chromatic.hal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttitudeFilterTest {

    @Test
    void startsFromTheAccelerometerTilt() {
        AttitudeFilter f = new AttitudeFilter(0.5);
        double roll = 0.2;
        f.update(0, 9.81 * Math.sin(roll), 9.81 * Math.cos(roll), 0, 0, 0, 0.01);
        assertEquals(roll, f.rollRad(), 1e-12);
        assertEquals(0.0, f.pitchRad(), 1e-12);
    }

    @Test
    void followsTheGyroOverShortTimesAndGravityOverLongTimes() {
        AttitudeFilter f = new AttitudeFilter(0.5);
        f.update(0, 0, 9.81, 0, 0, 0, 0.01);
        for (int i = 0; i < 10; i++) {
            f.update(0, 0, 9.81, 0, 1.0, 0, 0.01);
        }
        // gyro alone: 0.1 rad; alpha = 0.5 / 0.51 pulls 2% a step towards the level accelerometer
        assertEquals(0.0898, f.pitchRad(), 1e-3);
        for (int i = 0; i < 1000; i++) {
            double pitch = 0.3;
            f.update(-9.81 * Math.sin(pitch), 0, 9.81 * Math.cos(pitch), 0, 0, 0, 0.01);
        }
        assertEquals(0.3, f.pitchRad(), 1e-6);
    }

    @Test
    void integratesYawFromTheGyro() {
        AttitudeFilter f = new AttitudeFilter(0.5);
        f.update(0, 0, 9.81, 0, 0, 0, 0.01);
        for (int i = 0; i < 100; i++) {
            f.update(0, 0, 9.81, 0, 0, 0.5, 0.01);
        }
        assertEquals(0.5, f.yawRad(), 1e-9);
    }
}
