package dev.chromatic.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.loop.LoopRig;
import dev.chromatic.runtime.telemetry.fb.TelemetryBatchFb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryAgentTest {

    /** Records what would have been published; can be "disconnected". */
    static final class RecordingPublisher implements Publisher {
        record Message(String topic, byte[] payload, int qos, boolean retained) {
        }

        final List<Message> messages = new ArrayList<>();
        boolean connected = true;

        @Override
        public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
            if (!connected) {
                return false;
            }
            messages.add(new Message(topic, payload, qos, retained));
            return true;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        List<Message> on(String topic) {
            return messages.stream().filter(m -> m.topic().equals(topic)).toList();
        }
    }

    private final LoopRig rig = new LoopRig();
    private final ManualNanoClock clock = new ManualNanoClock(5);
    private final RecordingPublisher pub = new RecordingPublisher();
    private final Topics topics = new Topics("r7");
    private final EventOutbox outbox = new EventOutbox(16);
    private final TelemetryAgent agent = new TelemetryAgent(topics, clock, pub, rig.agent, rig.telemetry, rig.events,
            outbox, 1, 10, 100_000_000L, new TelemetrySample(16, 16, 8));

    @Test
    void publishesDecodableBatchesOfConsecutiveCycles() {
        rig.armed();
        rig.ticks(30);
        agent.doWork();
        List<RecordingPublisher.Message> batches = pub.on(topics.telemetry());
        assertEquals(3, batches.size(), "33 samples in batches of 10, the rest waits");
        TelemetryBatchFb b = TelemetryEncoder.decode(batches.get(1).payload());
        assertEquals("r7", b.robotId());
        assertEquals(2, b.batch());
        assertEquals(10, b.samplesLength());
        assertEquals(b.samples(0).cycle() + 9, b.samples(9).cycle());
        assertEquals(8, b.samples(0).motorTargetRadLength());
        assertEquals(8, b.samples(0).actionLength());
        assertEquals(b.samples(3).motorTargetRad(2), b.samples(4).motorAngleRad(2), 1e-6,
                "the stand-in reaches each target within a period: the angle read is the last target written");
        assertEquals(b.samples(3).motorAngleRad(2), b.samples(3).motorTargetRad(2), 0.01, "targets near the pose");
        assertEquals((float) (Math.PI / 2), b.samples(0).motorAngleRad(2), 0.02, "near the standing pose");
        clock.advance(200_000_000L);
        agent.doWork();
        assertEquals(4, pub.on(topics.telemetry()).size(), "a partial batch goes out after its maximum age");
        assertEquals(0, batches.get(0).qos());
    }

    @Test
    void dropsTheOldestWhenTheRingOverflowsAndCountsThem() {
        rig.ticks(1024 + 500);
        agent.doWork();
        clock.advance(200_000_000L);
        agent.doWork();
        assertEquals(500, agent.samplesDropped());
        assertEquals(1024, agent.samplesSent());
        TelemetryBatchFb first = TelemetryEncoder.decode(pub.on(topics.telemetry()).get(0).payload());
        assertEquals(501, first.samples(0).cycle(), "the oldest 500 were overwritten");
    }

    @Test
    void countsSamplesThatCouldNotBeSentWhileDisconnected() {
        pub.connected = false;
        rig.ticks(25);
        agent.doWork();
        assertEquals(0, agent.samplesSent());
        assertEquals(20, agent.samplesDropped());
    }

    @Test
    void publishesRetainedStateOnConnectAndOnChange() {
        rig.withPolicy(true);
        rig.ticks(2);
        agent.doWork();
        List<RecordingPublisher.Message> states = pub.on(topics.state());
        assertEquals(1, states.size());
        assertTrue(states.get(0).retained());
        String s = new String(states.get(0).payload(), StandardCharsets.UTF_8);
        assertTrue(s.contains("\"online\":true") && s.contains("\"state\":\"disarmed\"") && s.contains("\"rate_hz\":1000.0"), s);
        agent.doWork();
        assertEquals(1, pub.on(topics.state()).size(), "unchanged state is not republished");
        rig.command(CommandKind.ESTOP);
        rig.tick();
        clock.advance(60_000_000L);
        agent.doWork();
        String last = new String(pub.on(topics.state()).get(1).payload(), StandardCharsets.UTF_8);
        assertTrue(last.contains("\"safe_reason\":\"estop_command\""), last);
        assertTrue(pub.on(topics.events()).stream().anyMatch(m -> new String(m.payload(), StandardCharsets.UTF_8)
                .contains("\"event\":\"safe_state\"") && m.qos() == 1));
    }

    @Test
    void forwardsOffLoopEvents() {
        outbox.offer("{\"event\":\"command_rejected\"}");
        agent.doWork();
        assertEquals(1, pub.on(topics.events()).size());
        assertEquals(1, agent.eventsSent());
    }

    @Test
    void decoderRefusesForeignBytes() {
        assertThrows(IllegalArgumentException.class, () -> TelemetryEncoder.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertFalse(TelemetryAgent.offlineJson("r7").contains("\"online\":true"));
    }
}
