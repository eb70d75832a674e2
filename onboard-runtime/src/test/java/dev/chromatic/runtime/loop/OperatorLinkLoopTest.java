package dev.chromatic.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import org.junit.jupiter.api.Test;

class OperatorLinkLoopTest {

    @Test
    void anEstopRequestLatchesAtTheNextCycleWhateverTheState() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(3);
        rig.command(CommandKind.ARM);
        rig.tick();
        rig.command(CommandKind.DISARM);
        rig.tick();
        rig.mailbox.requestEstop();
        long cycles = rig.agent.cycles();
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertEquals(Reason.ESTOP_COMMAND, rig.safety.reason());
        rig.ticks(5);
        assertEquals(cycles + 6, rig.agent.cycles());
    }
}
