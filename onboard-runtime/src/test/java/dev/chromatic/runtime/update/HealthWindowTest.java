package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.runtime.events.Reason;
import org.junit.jupiter.api.Test;

class HealthWindowTest {

    @Test
    void passesAfterTheWindowOfArmedTimeWithoutATrip() {
        HealthWindow w = new HealthWindow(100);
        assertEquals(HealthWindow.Outcome.IDLE, w.poll(0));
        w.open(1000);
        assertEquals(HealthWindow.Outcome.WATCHING, w.poll(1099));
        assertEquals(HealthWindow.Outcome.PASSED, w.poll(1100));
        assertEquals(HealthWindow.Outcome.IDLE, w.poll(1200));
    }

    @Test
    void aTripInsideTheWindowWinsEvenAtItsLastMoment() {
        HealthWindow w = new HealthWindow(100);
        w.open(0);
        w.onTrip(Reason.ROLL_LIMIT, 50, 7);
        assertEquals(HealthWindow.Outcome.TRIPPED, w.poll(500));
        assertEquals("roll_limit", w.lastTripReason());
    }

    @Test
    void tripsBeforeTheSwapDoNotCount() {
        HealthWindow w = new HealthWindow(100);
        w.onTrip(Reason.NON_FINITE_ACTION, 0, 1);
        w.open(10);
        assertEquals(HealthWindow.Outcome.WATCHING, w.poll(20));
    }

    @Test
    void disarmedTimeDoesNotUseUpTheWindow() {
        HealthWindow w = new HealthWindow(100);
        w.open(0);
        assertEquals(HealthWindow.Outcome.WATCHING, w.poll(1_000_000, false));
        assertEquals(HealthWindow.Outcome.WATCHING, w.poll(1_000_050, true));
        assertEquals(HealthWindow.Outcome.PASSED, w.poll(1_000_100, true));
    }
}
