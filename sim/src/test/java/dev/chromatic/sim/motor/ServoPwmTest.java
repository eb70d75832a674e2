package dev.chromatic.sim.motor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.Pca9685;
import org.junit.jupiter.api.Test;

/** The PCA9685 pulse train the simulated servos receive: the device's quantisation and its 50 Hz cycle. */
class ServoPwmTest {

    private static final RobotSpec SPEC = RobotSpec.minitaurServo();
    private static final double OSC_HZ = Pca9685.INTERNAL_OSCILLATOR_HZ;

    @Test
    void fiftyHertzHasTheDevicesPrescaleTickAndCycle() {
        ServoPwm pwm = new ServoPwm(SPEC, OSC_HZ, 50.0);
        // prescale 121: tick 122 / 25 MHz = 4.88 us, cycle 4096 ticks = 19.988 ms
        assertEquals(4.88, pwm.tickUs(), 1e-12);
        assertEquals(19_988_480L, pwm.periodNs());
    }

    @Test
    void pulsesLieOnTheCounterGridNearestTheCommand() {
        ServoPwm pwm = new ServoPwm(SPEC, OSC_HZ, 50.0);
        pwm.reset(0);
        double halfTickRad = 0.5 * pwm.tickUs() / pwm.usPerRad(0);
        for (int i = 0; i <= 200; i++) {
            double angle = Math.PI * i / 200.0;
            pwm.write(0, angle);
            pwm.advance(pwm.periodNs() * (i + 1));
            double ticks = pwm.pulseUs(0) / pwm.tickUs();
            assertEquals(Math.rint(ticks), ticks, 1e-9, "a whole number of ticks");
            assertTrue(Math.abs(pwm.setpointRad(0) - angle) <= halfTickRad + 1e-12, "angle " + angle);
        }
        // the standing pose (pi/2) is 1500 us: 307 ticks of 4.88 us = 1498.16 us
        pwm.write(0, Math.PI / 2);
        pwm.advance(pwm.periodNs() * 300);
        assertEquals(307 * 4.88, pwm.pulseUs(0), 1e-9);
    }

    @Test
    void aServoSeesANewPulseOnlyAtTheStartOfACycle() {
        ServoPwm pwm = new ServoPwm(SPEC, OSC_HZ, 50.0);
        long first = 7_000_000L;
        pwm.reset(first);
        pwm.write(0, 1.0);
        assertFalse(pwm.advance(first - 1), "before the first cycle nothing is sent");
        assertFalse(pwm.pulsing(0));
        assertTrue(pwm.advance(first));
        assertEquals(1.0, pwm.setpointRad(0), 0.005);
        // written 1 ms into the cycle: the servo keeps the old pulse for the remaining 19 ms
        pwm.write(0, 2.0);
        for (long t = first + 1_000_000L; t < first + pwm.periodNs(); t += 1_000_000L) {
            assertFalse(pwm.advance(t));
            assertEquals(1.0, pwm.setpointRad(0), 0.005, "at " + t);
        }
        assertTrue(pwm.advance(first + pwm.periodNs()));
        assertEquals(2.0, pwm.setpointRad(0), 0.005);
    }

    @Test
    void aChannelSwitchedOffStopsPulsingAtTheNextCycle() {
        ServoPwm pwm = new ServoPwm(SPEC, OSC_HZ, 50.0);
        pwm.reset(0);
        pwm.write(3, 1.5);
        pwm.advance(0);
        assertTrue(pwm.pulsing(3));
        pwm.off(3);
        assertTrue(pwm.pulsing(3), "the running cycle keeps its pulse");
        pwm.advance(pwm.periodNs());
        assertFalse(pwm.pulsing(3));
    }

    @Test
    void commandsBeyondTheTravelAreClampedToThePulseLimits() {
        ServoPwm pwm = new ServoPwm(SPEC, OSC_HZ, 50.0);
        pwm.reset(0);
        pwm.write(0, 10.0);
        pwm.advance(0);
        assertEquals(2500.0, pwm.pulseUs(0), 4.88);
    }
}
