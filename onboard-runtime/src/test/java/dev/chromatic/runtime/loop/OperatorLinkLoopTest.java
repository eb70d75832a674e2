package dev.chromatic.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's side of the operator link: E-stop requests, link loss, and what clearing a latch needs. */
class OperatorLinkLoopTest {

    private static final long PERIOD_NS = 10_000_000L;
    private static final long TIMEOUT_NS = 1_000_000_000L;

    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private final StandInHardware hardware = new StandInHardware(RobotSpec.minitaur(), clock, PERIOD_NS, SensorFrame.VALID_ALL);

    private RobotLoop loop(long linkTimeoutNs, boolean localReset) {
        RobotLoop l = RobotLoop.context().hardware(hardware).lockstep(clock)
                .settings(new LoopSettings(PERIOD_NS, 1, 8, false)).standUp(StandUpSettings.immediate())
                .linkTimeout(linkTimeoutNs).localReset(localReset).build();
        l.offerPolicy(new InstalledPolicy(new FakeStep(), "ab".repeat(32), 7, true, PERIOD_NS));
        l.lockstep().ticks(3);
        return l;
    }

    private static List<LoopEvent> events(RobotLoop l) {
        List<LoopEvent> all = new ArrayList<>();
        LoopEvent e = new LoopEvent();
        while (l.events().poll(e)) {
            LoopEvent c = new LoopEvent();
            e.copyTo(c);
            all.add(c);
        }
        return all;
    }

    @Test
    void anEstopRequestLatchesAtTheNextCycleAheadOfQueuedCommands() {
        RobotLoop l = loop(0, false);
        l.lockstep().command(CommandKind.ARM);
        l.lockstep().tick();
        assertTrue(l.safety().isArmed());
        for (int i = 0; i < 8; i++) {
            l.lockstep().command(CommandKind.DISARM);
        }
        l.mailbox().requestEstop();
        l.lockstep().tick();
        assertEquals(SafetyState.SAFE, l.safety().state());
        assertEquals(Reason.ESTOP_COMMAND, l.safety().reason(), "the E-stop came before the queued disarms");
    }

    @Test
    void silentOperatorLinkWhileArmedLatchesLinkLostAfterTheTimeout() {
        RobotLoop l = loop(TIMEOUT_NS, false);
        l.lockstep().command(CommandKind.ARM);
        l.lockstep().tick();
        int periods = (int) (TIMEOUT_NS / PERIOD_NS);
        for (int i = 0; i < 3 * periods; i++) {
            if (i % 25 == 0) {
                l.operator().contact();
            }
            l.lockstep().tick();
        }
        assertTrue(l.safety().isArmed(), "heartbeats every 250 ms keep it armed");
        // the last heartbeat was seen 24 periods ago
        l.lockstep().ticks(periods - 24);
        assertTrue(l.safety().isArmed(), "exactly the timeout is still tolerated");
        l.lockstep().tick();
        assertEquals(SafetyState.SAFE, l.safety().state());
        assertEquals(Reason.LINK_LOST, l.safety().reason());
    }

    @Test
    void brokerLossWhileArmedLatchesLinkLostAtOnce() {
        RobotLoop l = loop(TIMEOUT_NS, false);
        l.lockstep().command(CommandKind.ARM);
        l.lockstep().tick();
        l.operator().brokerConnected(false);
        l.lockstep().tick();
        assertEquals(Reason.LINK_LOST, l.safety().reason());
    }

    @Test
    void withTheTimeoutOffASilentLinkChangesNothing() {
        RobotLoop l = loop(0, false);
        l.lockstep().command(CommandKind.ARM);
        l.lockstep().tick();
        l.operator().brokerConnected(false);
        l.lockstep().ticks(500);
        assertTrue(l.safety().isArmed());
    }

    @Test
    void aLinkIdleBeforeArmingDoesNotTripTheArm() {
        RobotLoop l = loop(TIMEOUT_NS, false);
        l.lockstep().ticks(500);
        l.lockstep().command(CommandKind.ARM);
        l.lockstep().ticks(50);
        assertTrue(l.safety().isArmed(), "the arm itself counts as contact");
    }

    @Test
    void aLocalResetIsNeededBeforeARemoteResetClearsTheLatch() {
        RobotLoop l = loop(0, true);
        l.mailbox().requestEstop();
        l.lockstep().tick();
        events(l);
        l.lockstep().command(CommandKind.RESET);
        l.lockstep().tick();
        assertEquals(SafetyState.SAFE, l.safety().state());
        assertTrue(events(l).stream().anyMatch(e -> e.kind == EventKind.RESET_REFUSED.ordinal()
                && e.reason == Reason.LOCAL_RESET_REQUIRED.ordinal()));
        hardware.resetPressed = true;
        l.lockstep().tick();
        hardware.resetPressed = false;
        l.lockstep().tick();
        l.lockstep().command(CommandKind.RESET);
        l.lockstep().tick();
        assertEquals(SafetyState.DISARMED, l.safety().state(), "button pressed after the latch, then the reset");

        l.mailbox().requestEstop();
        l.lockstep().tick();
        l.lockstep().command(CommandKind.RESET);
        l.lockstep().tick();
        assertEquals(SafetyState.SAFE, l.safety().state(), "a new latch needs a new press");
    }

    @Test
    void aResetThatArrivedBeforeALaterEstopDoesNotClearIt() {
        RobotLoop l = loop(0, false);
        l.mailbox().requestEstop();
        l.lockstep().tick();
        int estopsSeenByTheReset = (int) l.mailbox().estopRequests();
        l.mailbox().requestEstop();
        l.mailbox().offer(99, dev.chromatic.runtime.command.CommandMailbox.op(CommandKind.RESET, estopsSeenByTheReset, false));
        l.lockstep().tick();
        assertEquals(SafetyState.SAFE, l.safety().state());
        assertFalse(events(l).stream().anyMatch(e -> e.kind == EventKind.RESET.ordinal()));
    }
}
