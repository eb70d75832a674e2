package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chromatic.runtime.events.Reason;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
    void onlyTripsThePolicyCausedRollBack() {
        Set<Reason> policy = EnumSet.of(Reason.ROLL_LIMIT, Reason.PITCH_LIMIT, Reason.NON_FINITE_ACTION,
                Reason.OVERRUNS, Reason.CONTROLLER_FAULT);
        for (Reason r : policy) {
            HealthWindow w = new HealthWindow(100);
            w.open(0);
            w.onTrip(r, 10, 1);
            assertEquals(HealthWindow.Outcome.TRIPPED, w.poll(20), r.wireName());
            assertEquals(r.wireName(), w.lastTripReason());
        }
        for (Reason r : EnumSet.complementOf(EnumSet.copyOf(policy))) {
            HealthWindow w = new HealthWindow(100);
            w.open(0);
            w.onTrip(r, 10, 1);
            assertFalse(HealthWindow.blamesPolicy(r), r.wireName());
            assertEquals(HealthWindow.Outcome.WATCHING, w.poll(20), r.wireName());
            assertEquals(1, w.ignoredTripCount());
            assertEquals(r.wireName(), w.lastIgnoredReason());
            assertEquals(0, w.tripCount());
            assertEquals(HealthWindow.Outcome.PASSED, w.poll(100), r.wireName() + " must leave the window running");
        }
    }

    @Test
    void theNamedOperatorLinkAndSensorReasonsNeverBlameThePolicy() {
        for (Reason r : List.of(Reason.ESTOP_COMMAND, Reason.ESTOP_INPUT, Reason.LINK_LOST, Reason.SENSORS_STALE,
                Reason.SENSORS_INVALID)) {
            assertFalse(HealthWindow.blamesPolicy(r), r.wireName());
        }
        HealthWindow w = new HealthWindow(100);
        w.open(0);
        w.onTrip(Reason.ESTOP_INPUT, 10, 1);
        w.onTrip(Reason.LINK_LOST, 20, 2);
        w.onTrip(Reason.SENSORS_STALE, 30, 3);
        assertEquals(HealthWindow.Outcome.WATCHING, w.poll(40));
        w.onTrip(Reason.OVERRUNS, 50, 4);
        assertEquals(HealthWindow.Outcome.TRIPPED, w.poll(60), "a policy trip after ignored ones still counts");
        assertEquals("overruns", w.lastTripReason());
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
