package dev.chromatic.runtime.update;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.loop.LoopRig;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.telemetry.Publisher;
import dev.chromatic.runtime.telemetry.TelemetryAgent;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import dev.chromatic.runtime.telemetry.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retained state topic carries the policy store: active and previous slot and the last verdict. */
class PolicyStoreStateTopicTest {

    @TempDir
    Path dir;

    @Test
    void theStateTopicShowsActiveAndPreviousSlotsAndTheLastVerdict() throws Exception {
        KeyPair keys = PolicyKeys.generate();
        List<String> states = new ArrayList<>();
        Publisher pub = new Publisher() {
            @Override
            public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
                if (topic.endsWith("/state")) {
                    states.add(new String(payload, StandardCharsets.UTF_8));
                }
                return true;
            }

            @Override
            public boolean isConnected() {
                return true;
            }
        };
        AtomicBoolean armed = new AtomicBoolean();
        LoopRig rig = new LoopRig();
        ManualNanoClock clock = new ManualNanoClock(5);
        TelemetryAgent telemetry = new TelemetryAgent(new Topics("r5"), clock, pub, rig.agent, rig.telemetry, rig.events,
                new EventOutbox(16), 1, 10, 100_000_000L, new TelemetrySample(16, 16, 8));
        PolicyFileOpener opener = PolicyFileOpener.signedBy(TrustedKeys.of(keys.getPublic()));
        PolicyUpdateService service = new PolicyUpdateService(new PolicyUpdateService.Config(
                PolicyStore.open(dir, PolicyFileOpener.verifierFor(opener)), opener,
                new PolicyCompatibility("minitaur", SignedPolicies.STACK, SignedPolicies.OBS, SignedPolicies.ACT,
                        SignedPolicies.PERIOD_NS), RobotSpec.minitaur(), FakeStep::new, p -> { }, s -> { },
                new HealthWindow(1_000_000_000L), armed::get, clock, 1 << 20));
        telemetry.setPolicyStoreState(service::stateFields);

        byte[] one = SignedPolicies.sign(SignedPolicies.policy(31), keys, 1);
        byte[] two = SignedPolicies.sign(SignedPolicies.policy(32), keys, 2);
        service.submit(one);
        service.doWork();
        service.submit(two);
        service.doWork();
        service.submit(one);
        service.doWork();
        telemetry.doWork();
        String state = states.get(states.size() - 1);
        assertTrue(state.contains("\"policy_store\":{\"active\":{\"slot\":\"b\",\"sha256\":\"" + StoreRecord.sha256Hex(two)
                + "\",\"version\":2},\"previous\":{\"slot\":\"a\",\"sha256\":\"" + StoreRecord.sha256Hex(one)
                + "\",\"version\":1}"), state);
        assertTrue(state.contains("\"last_verdict\":{\"verdict\":\"rejected\""), state);
        assertTrue(state.contains("\"field\":\"policy_version\""), state);
        assertTrue(state.contains("\"pending\":null"), state);

        armed.set(true);
        service.doWork();
        clock.advance(1_000_000_000L);
        service.doWork(); // the health window of version 2 passes: a file may now be staged while armed
        byte[] three = SignedPolicies.sign(SignedPolicies.policy(33), keys, 3);
        service.submit(three);
        service.doWork();
        clock.advance(100_000_000L);
        telemetry.doWork();
        state = states.get(states.size() - 1);
        assertTrue(state.contains("\"active\":{\"slot\":\"b\",\"sha256\":\"" + StoreRecord.sha256Hex(two) + "\""), state);
        assertTrue(state.contains("\"pending\":{\"slot\":\"a\",\"sha256\":\"" + StoreRecord.sha256Hex(three)
                + "\",\"version\":3}"), state);
        assertTrue(state.contains("\"last_verdict\":{\"verdict\":\"staged\""), state);

        armed.set(false);
        service.doWork();
        clock.advance(100_000_000L);
        telemetry.doWork();
        state = states.get(states.size() - 1);
        assertTrue(state.contains("\"active\":{\"slot\":\"a\",\"sha256\":\"" + StoreRecord.sha256Hex(three) + "\""), state);
        assertTrue(state.contains("\"pending\":null"), state);
        assertTrue(state.contains("\"last_verdict\":{\"verdict\":\"accepted\""), state);
    }
}
